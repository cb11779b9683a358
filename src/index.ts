// Composition root of the main step: read the environment, build the real clients, run the mode,
// and map its outcome to outputs, summary and exit code.
import * as core from '@actions/core';
import { systemClock } from './clock.ts';
import { stepResult, type Outcome } from './core/outcome.ts';
import { summaryMarkdown } from './core/summary-text.ts';
import { createGitHubClient } from './github/client.ts';
import { Git } from './git.ts';
import { createProbe } from './health/probe.ts';
import { measureBaseline } from './health/prometheus.ts';
import { coreLog } from './core-log.ts';
import { runDeployMode, type ModeDeps } from './modes/deploy.ts';
import { runRollbackMode } from './modes/rollback.ts';
import { runStatusMode } from './modes/status.ts';
import { runGateMode } from './modes/gate.ts';
import { cancel, commandEnvironment, runCommand } from './process.ts';
import { readRunContext } from './run-context.ts';
import { readSettings, type InputName, type Settings } from './settings.ts';
import type { IncidentFacts } from './core/report-facts.ts';
import type { RunContext } from './run-context.ts';

const USER_AGENT = 'deploy-guard/0.1.0';

async function main(): Promise<void> {
  const log = coreLog;
  const settingsResult = await readSettings((name: InputName) => core.getInput(name), process.env);
  const contextResult = readRunContext(process.env);
  const errors = [...(settingsResult.ok ? [] : settingsResult.errors), ...(contextResult.ok ? [] : contextResult.errors)];
  if (!settingsResult.ok || !contextResult.ok) {
    await finish({ kind: 'failed', message: `invalid configuration:\n- ${errors.join('\n- ')}` }, undefined, 'unknown');
    return;
  }
  const settings = settingsResult.settings;
  const context = contextResult.context;
  settings.secrets.forEach((secret) => core.setSecret(secret));
  const gh = createGitHubClient({ token: settings.token, baseUrl: context.apiUrl, log, userAgent: USER_AGENT });
  const repo = { owner: context.owner, repo: context.repo };

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
    createProbe: (baselines) =>
      createProbe({
        runCommand,
        cwd: context.workspace,
        env: commandEnvironment(process.env, { DEPLOY_GUARD_ENVIRONMENT: settings.environment }),
        baselines,
      }),
    measureBaseline,
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
        outcome = await runGateMode(gh, repo, settings.incidentLabel, settings.environment, log, { closerRole: settings.incidentCloserRole, requirePostmortem: settings.requirePostmortem });
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
  if (settings.notify) await notify(settings.notify, outcome, context, settings.environment, modeDeps.git);
  await finish(outcome, knownGoodSha, settings.environment, report);
}

/** Tells the webhook about rollbacks, blocked deploys and recoveries; never changes the result. */
async function notify(target: NonNullable<Settings['notify']>, outcome: Outcome, context: RunContext, environment: string, git: Git): Promise<void> {
  const { notifyEventOf, notifyPayload } = await import('./core/notify-payload.ts');
  const sha = await git.headSha().catch(() => process.env.GITHUB_SHA ?? '');
  const event = notifyEventOf(outcome, { repository: `${context.owner}/${context.repo}`, environment, runUrl: context.runUrl, sha });
  if (!event) return;
  const { sendNotification } = await import('./notify.ts');
  await sendNotification({ url: target.url, payload: notifyPayload(event, target.format), clock: systemClock, log: coreLog });
}

async function finish(outcome: Outcome, knownGoodSha: string | undefined, environment: string, report?: IncidentFacts): Promise<void> {
  const result = stepResult(outcome, knownGoodSha);
  for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
  if (outcome.kind === 'failed') core.error(outcome.message);
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addRaw(summaryMarkdown(outcome, environment, report))
      .write()
      .catch((e: Error) => core.warning(`Could not write the step summary: ${e.message}`));
  }
  if (result.exitCode !== 0) core.setFailed(`deploy-guard: ${outcome.kind}`);
}

await main();
