// The main step once its inputs are valid: build the real clients and run the mode. Loaded by
// index.ts only then, so a run that stops at an input error loads none of it.
import * as core from '@actions/core';
import { systemClock } from './clock.ts';
import type { Outcome } from './core/outcome.ts';
import type { IncidentFacts } from './report/report-facts.ts';
import { createRedactor, type Redactor } from './core/redact.ts';
import { createCoreLog } from './core-log.ts';
import { createGitHubClient } from './github/client.ts';
import { apiTimeoutFrom } from './github/request-timeout.ts';
import { Git } from './git.ts';
import { createAddressGuard } from './health/address-guard.ts';
import { createProbe } from './health/probe.ts';
import { measureBaseline } from './health/prometheus.ts';
import { runDeployMode, type ModeDeps } from './modes/deploy.ts';
import { runGateMode } from './modes/gate.ts';
import { runRollbackMode } from './modes/rollback.ts';
import { runStatusMode } from './modes/status.ts';
import { cancel, commandEnvironment, runCommand } from './process.ts';
import { proxyAwareFetch, proxyFor } from './proxy.ts';
import type { RunContext } from './run-context.ts';
import type { Settings } from './settings.ts';

const USER_AGENT = 'deploy-guard/0.1.0';

export interface ModeRun {
  outcome: Outcome;
  knownGoodSha: string | undefined;
  report: IncidentFacts | undefined;
  git: Git;
}

/** `redactor`: the known secrets, kept out of the log, GitHub and the reports (core/redact.ts). */
export async function runMode(settings: Settings, context: RunContext, redactor: Redactor = createRedactor(settings.secrets)): Promise<ModeRun> {
  const log = createCoreLog(redactor.text);
  const apiTimeout = apiTimeoutFrom(process.env);
  if (apiTimeout.warning) log.warning(apiTimeout.warning);
  const gh = createGitHubClient({ token: settings.token, baseUrl: context.apiUrl, log, userAgent: USER_AGENT, requestTimeoutMs: apiTimeout.ms, redactor });
  const repo = { owner: context.owner, repo: context.repo };
  const apiProxy = proxyFor(context.apiUrl);
  if (apiProxy) log.info(`GitHub API requests go through the proxy ${apiProxy.host} (${context.apiUrl.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY'}).`);
  // Health checks honour the proxy settings too, like curl, unless health-checks-use-proxy is false.
  const healthFetch = settings.healthChecksUseProxy ? proxyAwareFetch : fetch;
  // Through a proxy the proxy resolves the name: only what the URL itself names is refused then.
  const guard = settings.healthAllowLinkLocal ? undefined : createAddressGuard({ viaProxy: (url) => settings.healthChecksUseProxy && proxyFor(url) !== undefined });

  // The runner sends SIGINT then SIGTERM on cancel: pass them on to the deploy command's group.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log.warning(`Received ${signal}; stopping the running command. No rollback is started after a cancel.`);
      cancel(signal);
    });
  }

  const modeDeps: ModeDeps = {
    settings,
    context,
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
  };

  let outcome: Outcome;
  let knownGoodSha: string | undefined;
  let report: IncidentFacts | undefined;
  try {
    switch (settings.mode) {
      case 'gate':
        outcome = await runGateMode(gh, repo, { label: settings.incidentLabel, environment: settings.environment, prefix: settings.tagPrefix }, log, { closerRole: settings.incidentCloserRole, requirePostmortem: settings.requirePostmortem });
        break;
      case 'status':
        ({ outcome, knownGoodSha } = await runStatusMode(gh, repo, settings, Date.now()));
        break;
      case 'rollback':
        // On a re-run, the person who re-ran it is the one asking.
        ({ outcome, knownGoodSha } = await runRollbackMode({ ...modeDeps, actor: process.env.GITHUB_TRIGGERING_ACTOR || process.env.GITHUB_ACTOR || '' }));
        break;
      case 'deploy':
        ({ outcome, knownGoodSha, report } = await runDeployMode(modeDeps));
        break;
    }
  } catch (error) {
    outcome = { kind: 'failed', message: (error as Error).message };
  }
  return { outcome, knownGoodSha, report, git: modeDeps.git };
}
