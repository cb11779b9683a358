
// src/run-context.ts
function readRunContext(env) {
  const errors = [];
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length) errors.push('GITHUB_REPOSITORY must be "owner/repo"; deploy-guard runs inside a GitHub Actions job');
  const workspace = env.GITHUB_WORKSPACE ?? "";
  if (!workspace) errors.push("GITHUB_WORKSPACE is not set; deploy-guard runs inside a GitHub Actions job after actions/checkout");
  if (errors.length) return { ok: false, errors };
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/$/, "");
  const runId = env.GITHUB_RUN_ID || "0";
  const runAttempt = env.GITHUB_RUN_ATTEMPT || "1";
  return {
    ok: true,
    context: {
      owner,
      repo,
      apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""),
      serverUrl,
      runId,
      runAttempt,
      workspace,
      runnerTemp: env.RUNNER_TEMP || workspace,
      runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/attempts/${runAttempt}`
    }
  };
}

export {
  readRunContext
};
