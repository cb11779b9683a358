// Composition root of the main step: read the environment, build the real clients, run the mode,
// and map its outcome to outputs, summary and exit code.
// Only what reading the inputs needs is imported here; the rest is loaded once they are valid.
import * as core from '@actions/core';
import { systemClock } from './clock.ts';
import { stepResult, type Outcome } from './core/outcome.ts';
import type { IncidentFacts } from './core/report-facts.ts';
import { coreLog } from './core-log.ts';
import type { Git } from './git.ts';
import { readRunContext, type RunContext } from './run-context.ts';
import { readSettings, type InputName, type Settings } from './settings.ts';

async function main(): Promise<void> {
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
  const { runMode } = await import('./run-mode.ts');
  const { outcome, knownGoodSha, report, git } = await runMode(settings, context);
  if (settings.notify) await notify(settings.notify, outcome, context, settings.environment, git);
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
    const { summaryMarkdown } = await import('./core/summary-text.ts');
    await core.summary
      .addRaw(summaryMarkdown(outcome, environment, report))
      .write()
      .catch((e: Error) => core.warning(`Could not write the step summary: ${e.message}`));
  }
  if (result.exitCode !== 0) core.setFailed(`deploy-guard: ${outcome.kind}`);
}

await main();
