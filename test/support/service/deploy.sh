#!/usr/bin/env bash
# Deploys the test service from the checkout this script lives in (the
# workspace, or a rollback worktree): stops the running instance, starts
# app/server.mjs from here in the background, waits until GET / answers.
#
# Environment: SERVICE_PORT, SERVICE_STATE_DIR (required);
#   SERVICE_NODE (node binary, default "node"),
#   SERVICE_BOOT_TIMEOUT_SECONDS (default 5);
#   DEPLOY_GUARD_SHA, DEPLOY_GUARD_ROLLBACK (echoed when set).
set -euo pipefail
# No job control: background children stay in our process group, so setsid
# below runs in the same process instead of forking, and $! is the server.
set +m

: "${SERVICE_PORT:?SERVICE_PORT must be set}"
: "${SERVICE_STATE_DIR:?SERVICE_STATE_DIR must be set}"

checkout_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
pid_file="${SERVICE_STATE_DIR}/service.pid"
log_file="${SERVICE_STATE_DIR}/service.log"
node_bin="${SERVICE_NODE:-node}"
boot_timeout="${SERVICE_BOOT_TIMEOUT_SECONDS:-5}"

say() { printf 'deploy.sh: %s\n' "$*"; }

say "deploying from ${checkout_dir}"
if [[ -n "${DEPLOY_GUARD_SHA:-}" ]]; then say "DEPLOY_GUARD_SHA=${DEPLOY_GUARD_SHA}"; fi
if [[ -n "${DEPLOY_GUARD_ROLLBACK:-}" ]]; then say "DEPLOY_GUARD_ROLLBACK=${DEPLOY_GUARD_ROLLBACK}"; fi

# Succeeds while $1 is a live (not zombie) process running server.mjs; a
# recycled pid belonging to something else is never touched.
is_service_process() {
  local pid="$1" stat cmdline
  kill -0 "${pid}" 2>/dev/null || return 1
  if [[ -r "/proc/${pid}/stat" ]]; then
    stat="$(cat "/proc/${pid}/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != "Z" ]] || return 1
    cmdline="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null)" || return 1
    [[ "${cmdline}" == *server.mjs* ]] || return 1
  fi
  return 0
}

stop_previous() {
  local old_pid="" waited=0 killed=0
  [[ -f "${pid_file}" ]] || return 0
  old_pid="$(cat "${pid_file}" 2>/dev/null || true)"
  old_pid="${old_pid//[[:space:]]/}"
  if [[ "${old_pid}" =~ ^[0-9]+$ ]] && is_service_process "${old_pid}"; then
    say "stopping previous instance (pid ${old_pid})"
    kill -TERM "${old_pid}" 2>/dev/null || true
    while is_service_process "${old_pid}"; do
      if (( waited >= 50 && killed == 0 )); then
        say "pid ${old_pid} ignored SIGTERM for 5s; sending SIGKILL"
        kill -KILL "${old_pid}" 2>/dev/null || true
        killed=1
      fi
      if (( waited >= 80 )); then
        say "could not stop pid ${old_pid}"
        exit 1
      fi
      sleep 0.1
      waited=$(( waited + 1 ))
    done
  fi
  rm -f "${pid_file}"
}

# Prints the version answering GET / on the service port; fails if nothing answers.
probe_version() {
  SERVICE_PROBE_URL="http://127.0.0.1:${SERVICE_PORT}/" "${node_bin}" --input-type=module -e '
    try {
      const response = await fetch(process.env.SERVICE_PROBE_URL, { signal: AbortSignal.timeout(1000) });
      const body = await response.json();
      console.log(String(body.version));
    } catch {
      process.exit(1);
    }'
}

show_log_tail() {
  if [[ -f "${log_file}" ]]; then
    say "last lines of ${log_file}:"
    tail -n 20 "${log_file}" | sed 's/^/  | /' || true
  fi
}

stop_previous
mkdir -p "${SERVICE_STATE_DIR}"
cd "${checkout_dir}"

expected_version="$("${node_bin}" -e 'process.stdout.write(String(JSON.parse(require("node:fs").readFileSync("app/version.json", "utf8")).version))')"

launcher=(nohup)
if command -v setsid >/dev/null 2>&1; then launcher=(setsid nohup); fi
"${launcher[@]}" "${node_bin}" app/server.mjs >>"${log_file}" 2>&1 </dev/null &
new_pid=$!

deadline=$(( SECONDS + boot_timeout ))
answered=""
while :; do
  if answered="$(probe_version)"; then break; fi
  if ! kill -0 "${new_pid}" 2>/dev/null; then
    exit_code=0
    wait "${new_pid}" || exit_code=$?
    say "service ${expected_version} exited during boot (exit code ${exit_code})"
    show_log_tail
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    say "service ${expected_version} did not answer on port ${SERVICE_PORT} within ${boot_timeout}s"
    kill -KILL "${new_pid}" 2>/dev/null || true
    show_log_tail
    exit 1
  fi
  sleep 0.1
done

if [[ "${answered}" != "${expected_version}" ]]; then
  say "port ${SERVICE_PORT} answers with version ${answered}, expected ${expected_version}"
  kill -KILL "${new_pid}" 2>/dev/null || true
  exit 1
fi

say "started version ${expected_version} (pid ${new_pid}) on port ${SERVICE_PORT}"
