// Composition root of the main step: read the environment, build the real clients, run the mode,
// and map its outcome to outputs, summary and exit code.
// Only what reading the inputs needs is imported here; the rest is loaded once they are valid.
import * as core from '@actions/core';
import { systemClock } from './clock.ts';
import { stepResult, type Outcome } from './core/outcome.ts';
import type { IncidentFacts } from './report/report-facts.ts';
import type { CheckWarning } from './core/warnings.ts';
import { createRedactor, rawInputSecrets, type Redactor } from './core/redact.ts';
import { createCoreLog } from './core-log.ts';
import type { Git } from './git.ts';
import { Context, readRunContext, type RunContext } from './run-context.ts';
import { readSettings, type InputName, type Settings } from './settings.ts';

async function main(): Promise<void> {
  const settingsResult = await readSettings((name: InputName) => core.getInput(name), process.env);
  const contextResult = readRunContext(new Context(), process.env);
  const errors = [...(settingsResult.ok ? [] : settingsResult.errors), ...(contextResult.ok ? [] : contextResult.errors)];
  if (!settingsResult.ok || !contextResult.ok) {
    await finish({ kind: 'failed', message: `invalid configuration:\n- ${errors.join('\n- ')}` }, undefined, 'unknown', inputRedactor());
    return;
  }
  const settings = settingsResult.settings;
  const context = contextResult.context;
  settings.secrets.forEach((secret) => core.setSecret(secret));
  // Built once: every door out of the process (GitHub, the summary, outputs, the log, the webhook) applies it.
  const redactor = createRedactor(settings.secrets);
  const { createRealDeps, run, notifyEventOf } = await import('./main-step.ts');
  const deps = createRealDeps(settings, context, redactor);
  const { outcome, knownGoodSha, report, warnings } = await run(settings, context, deps);
  // The notices sent during the run (rollback-started) go out before the one about its end.
  await deps.notices?.settled();
  if (settings.notify) await notify(settings.notify, notifyEventOf, outcome, context, settings.environment, deps.git, redactor);
  await finish(outcome, knownGoodSha, settings.environment, redactor, report, warnings);
}

/** Without valid settings, the secrets the raw inputs name (URL credentials and query tokens are redacted by their place anyway). */
function inputRedactor(): Redactor {
  return createRedactor(rawInputSecrets({ token: core.getInput('github-token'), webhook: core.getInput('notify-webhook'), deployEnv: process.env.DEPLOY_ENV }));
}

/** Tells the webhook about rollbacks, blocked deploys and recoveries; never changes the result. */
async function notify(
  target: NonNullable<Settings['notify']>,
  notifyEventOf: typeof import('./report/notify-payload.ts').notifyEventOf,
  outcome: Outcome,
  context: RunContext,
  environment: string,
  git: Git,
  redactor: Redactor,
): Promise<void> {
  const sha = await git.headSha().catch(() => process.env.GITHUB_SHA ?? '');
  const event = notifyEventOf(outcome, { repository: `${context.owner}/${context.repo}`, environment, runUrl: context.runUrl, sha });
  if (!event) return;
  const { deliverNotice } = await import('./notify.ts');
  await deliverNotice(target, event, { clock: systemClock, log: createCoreLog(redactor.text), redactor });
}

/** Outputs that are deploy-guard's own identifiers (shas, numbers, the result), passed on exactly; the rest is text and redacted. */
const EXACT_OUTPUTS = new Set(['result', 'deployment-id', 'incident-number', 'known-good-sha', 'deployed-sha']);

async function finish(outcome: Outcome, knownGoodSha: string | undefined, environment: string, redactor: Redactor, report?: IncidentFacts, warnings?: CheckWarning[]): Promise<void> {
  const result = stepResult(outcome, knownGoodSha, warnings);
  for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, EXACT_OUTPUTS.has(name) ? value : redactor.text(value));
  if (outcome.kind === 'failed') core.error(redactor.text(outcome.message));
  if (process.env.GITHUB_STEP_SUMMARY) {
    const { summaryMarkdown } = await import('./report/summary-text.ts');
    await core.summary
      .addRaw(redactor.text(summaryMarkdown(outcome, environment, report, warnings)))
      .write()
      .catch((e: Error) => core.warning(redactor.text(`Could not write the step summary: ${e.message}`)));
  }
  if (result.exitCode !== 0) core.setFailed(`deploy-guard: ${outcome.kind}`);
}

// Whatever goes wrong, the step ends with a result and a message, never a bare stack trace.
await main().catch((error: unknown) =>
  finish({ kind: 'failed', message: `deploy-guard stopped unexpectedly: ${(error as Error)?.message ?? String(error)}` }, undefined, 'unknown', inputRedactor()),
);
