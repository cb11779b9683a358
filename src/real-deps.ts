// The real dependencies of a run, built once by index.ts once the inputs are valid (loaded only
// then, so a run that stops at an input error loads none of this).
import * as core from '@actions/core';
import { systemClock } from './clock.ts';
import type { Redactor } from './core/redact.ts';
import type { RunDeps } from './deps.ts';
import { createCoreLog } from './core-log.ts';
import { createGitHubClient } from './github/client.ts';
import { apiTimeoutFrom } from './github/request-timeout.ts';
import { Git } from './git.ts';
import { createAddressGuard } from './health/address-guard.ts';
import { nodeFetch } from './http/node-fetch.ts';
import { createProbe } from './health/probe.ts';
import { measureBaseline } from './health/prometheus.ts';
import { noticesTo } from './notify.ts';
import { cancel, commandEnvironment, runCommand, throwIfCancelled } from './process.ts';
import { proxyAwareFetch, proxyFor } from './proxy.ts';
import type { RunContext } from './run-context.ts';
import type { Settings } from './settings.ts';

const USER_AGENT = 'deploy-guard/0.1.0';

/** `redactor`: the known secrets, kept out of the log, GitHub and the reports (core/redact.ts). */
export function createRealDeps(settings: Settings, context: RunContext, redactor: Redactor): RunDeps {
  const log = createCoreLog(redactor.text);
  const apiTimeout = apiTimeoutFrom(process.env);
  if (apiTimeout.warning) log.warning(apiTimeout.warning);
  const gh = createGitHubClient({ token: settings.token, baseUrl: context.apiUrl, log, userAgent: USER_AGENT, requestTimeoutMs: apiTimeout.ms, redactor });
  const apiProxy = proxyFor(context.apiUrl);
  if (apiProxy) log.info(`GitHub API requests go through the proxy ${apiProxy.host} (${context.apiUrl.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY'}).`);
  // Health checks honour the proxy settings too, like curl, unless health-checks-use-proxy is false.
  const healthFetch = settings.healthChecksUseProxy ? proxyAwareFetch : nodeFetch;
  // Through a proxy the proxy resolves the name: only what the URL itself names is refused then.
  const guard = settings.healthAllowLinkLocal ? undefined : createAddressGuard({ viaProxy: (url) => settings.healthChecksUseProxy && proxyFor(url) !== undefined });

  // The runner sends SIGINT then SIGTERM on cancel: pass them on to the deploy command's group.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log.warning(`Received ${signal}; stopping the running command. No rollback is started after a cancel.`);
      cancel(signal);
    });
  }

  return {
    gh,
    git: new Git(context.workspace),
    runCommand,
    createProbe: (baselines) => {
      const probe = createProbe({
        runCommand,
        cwd: context.workspace,
        env: commandEnvironment(process.env, { DEPLOY_GUARD_ENVIRONMENT: settings.environment }),
        baselines,
        fetch: healthFetch,
        ...(guard ? { guard } : {}),
      });
      // Redacted as measured, before any report cuts an excerpt or an output: no part of a secret a
      // service echoed (a header, a URL) is kept.
      return async (check) => redactor.deep(await probe(check));
    },
    measureBaseline: (check) => measureBaseline(check, healthFetch, guard),
    clock: systemClock,
    log,
    env: process.env,
    saveState: core.saveState,
    write: (chunk) => process.stdout.write(chunk),
    throwIfCancelled,
    ...(settings.notify ? { notices: noticesTo(settings.notify, { clock: systemClock, log, redactor }) } : {}),
  };
}
