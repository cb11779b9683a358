// The inputs' schema: each input read on its own (input-fields.ts), then the rules between them
// (cross-input.ts), and, once all of them hold, the Settings.
import * as z from 'zod/mini';
import type { InputName } from '../action-io.ts';
import { deployEnvSecrets, secretUrlParts } from '../core/redact.ts';
import type { Settings } from '../settings.ts';
import { checkCrossInputRules, checksOf, stagesOf } from './cross-input.ts';
import { inputFields, type InputValues } from './input-fields.ts';

/** `env`: where check headers written as `{ env: NAME }` and DEPLOY_ENV come from. */
export function settingsSchema(env: NodeJS.ProcessEnv) {
  const inputs = z.object(inputFields(env)).check(
    // Runs although some inputs were refused (their issues let it continue), so every error is reported at once.
    z.superRefine((values, ctx) =>
      checkCrossInputRules(values, (input: InputName, message: string) => ctx.addIssue({ code: 'custom', path: [input], message })),
    ),
  );
  return z.pipe(
    inputs,
    z.transform((values: InputValues) => settingsOf(values, env)),
  );
}

function settingsOf(v: InputValues, env: NodeJS.ProcessEnv): Settings {
  const webhook = v['notify-webhook'];
  return {
    mode: v.mode,
    // GitHub treats environment names case-insensitively: Production and production are one
    // environment, so deploy-guard's tags, records, markers and deployments use one spelling.
    environment: v.environment.toLowerCase(),
    token: v['github-token'],
    deployCommand: v['deploy-command'],
    rollbackCommand: v['rollback-command'] || v['deploy-command'],
    checks: checksOf(v),
    healthWindowMs: v['health-window'].ms,
    healthIntervalMs: v['health-interval'].ms,
    healthInitialDelayMs: v['health-initial-delay'].ms,
    failureThreshold: v['failure-threshold'],
    maxFailedRounds: v['max-failed-rounds'],
    inconclusiveThreshold: v['inconclusive-threshold'],
    dryRun: v['dry-run'],
    // Masked in the log, and redacted from everything deploy-guard writes (core/redact.ts).
    secrets: [v['github-token'], ...deployEnvSecrets(env.DEPLOY_ENV), ...v['health-url'].secrets, ...v.checks.secrets, ...v.stages.secrets, ...(webhook ? secretUrlParts(webhook) : [])],
    rollbackTo: v['rollback-to'],
    reason: v.reason,
    force: v.force,
    takeOver: v['take-over'],
    incidentCloserRole: v['incident-closer-role'],
    requestTimeoutMs: v['request-timeout'].ms,
    healthChecksUseProxy: v['health-checks-use-proxy'],
    healthAllowLinkLocal: v['health-allow-link-local'],
    deployTimeoutMs: v['deploy-timeout'].ms,
    tagPrefix: v['tag-prefix'],
    incidentLabel: v['incident-label'],
    requirePostmortem: v['require-postmortem'],
    incidentRepository: v['incident-repository'],
    severity: v.severity,
    notify: webhook ? { url: webhook, format: v['notify-format'] } : undefined,
    schedule: { timeZone: v['time-zone'], windows: v['deploy-windows'], freezes: v['deploy-freezes'] },
    overrideReason: v['override-reason'],
    requireProvenIn: v['require-proven-in']?.toLowerCase(),
    sha: v.sha?.toLowerCase(),
    periodDays: v.period,
    stages: stagesOf(v),
    beforeRollbackCommand: v['before-rollback-command'],
    afterRollbackCommand: v['after-rollback-command'],
    rollbackAttempts: v['rollback-attempts'],
    rollbackBackoffMs: v['rollback-backoff'].ms,
  };
}
