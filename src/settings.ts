// Inputs -> one typed Settings, through one zod schema keyed by action.yml's input names
// (settings/). Every input error is reported at once, each naming its input.
import { INPUT_DEFAULTS, INPUT_NAMES, type InputName, type Mode } from './action-io.ts';
import type { Check } from './health/check-types.ts';
import type { Stage } from './core/stages.ts';
import type { Role } from './core/gate-decision.ts';
import type { Severity } from './core/severity.ts';
import type { DeploySchedule } from './core/deploy-window.ts';
import type { NotifyFormat } from './report/notify-payload.ts';
import { settingsSchema } from './settings/settings-schema.ts';

export type { Check } from './health/check-types.ts';
export { INPUT_DEFAULTS, INPUT_NAMES, MODES, NOTIFY_FORMATS, type InputName, type Mode } from './action-io.ts';
export type RawInputs = Record<InputName, string>;

export interface Settings {
  mode: Mode;
  environment: string;
  token: string;
  deployCommand: string;
  rollbackCommand: string;
  checks: Check[];
  healthWindowMs: number;
  healthIntervalMs: number;
  healthInitialDelayMs: number;
  failureThreshold: number;
  /** More failed rounds than this in the window make the deploy unhealthy; undefined: no budget. */
  maxFailedRounds: number | undefined;
  /** This many consecutive inconclusive rounds make the deploy unhealthy; 0: never. */
  inconclusiveThreshold: number;
  dryRun: boolean;
  /**
   * Known secrets, masked in the log and redacted from issues, deployments, the summary, outputs
   * and notices: the token, check header values from the environment, URL credentials and query
   * tokens, the webhook URL and DEPLOY_ENV's values.
   */
  secrets: string[];
  /** rollback mode: the raw `rollback-to` ('' = known-good), why, and whether unproven targets are allowed. */
  rollbackTo: string;
  /** Why: a manual rollback's, a lock's or an unlock's (required there), a mark-known-good's (optional). */
  reason: string;
  force: boolean;
  /** rollback mode: end the deploy-guard deployments that hold the environment (a lost runner's) and go on. */
  takeOver: boolean;
  /** A closed incident unblocks only if its closer has at least this role; undefined: anyone. */
  incidentCloserRole: Role | undefined;
  requestTimeoutMs: number;
  /** http and prometheus checks go through the proxy the environment names (HTTPS_PROXY, NO_PROXY). */
  healthChecksUseProxy: boolean;
  /** http and prometheus checks may reach link-local and cloud metadata addresses (core/address-policy.ts). */
  healthAllowLinkLocal: boolean;
  deployTimeoutMs: number;
  tagPrefix: string;
  incidentLabel: string;
  /** From this severity up, a closed incident unblocks only once its root cause and corrective actions are written; undefined: never. */
  requirePostmortem: Severity | undefined;
  /** incident-repository: where this environment's incidents are opened, recorded and read; undefined: this repository. */
  incidentRepository: { owner: string; repo: string } | undefined;
  /** rollback mode: the severity of the manual rollback's incident (critical anyway if the rollback fails). */
  severity: Severity;
  /** Where rollbacks, blocked deploys and recoveries are announced (a secret URL), and how. */
  notify: { url: string; format: NotifyFormat } | undefined;
  /** When deploys may start (deploy-windows, deploy-freezes, time-zone); no windows and no freezes: any time. Rollbacks ignore it. */
  schedule: DeploySchedule;
  /** deploy mode (ignored by the others): why this one deploy goes through a closed window or a freeze (a maintainer's call). */
  overrideReason: string;
  /** Deploy only a commit that passed a whole health window in this environment first. */
  requireProvenIn: string | undefined;
  /** mark-known-good mode: the full commit SHA to mark (lower case); undefined: the checked-out commit. */
  sha: string | undefined;
  /** status mode (ignored by the others): the days the delivery figures cover, 1 to 365. */
  periodDays: number;
  /** deploy mode: the stages the deploy goes out in, in place of deploy-command and health-window; undefined: not staged. */
  stages: Stage[] | undefined;
  /** Run in the rollback's checkout before its first attempt (e.g. a maintenance page on); '' for none. A failure is reported, and the rollback still runs. */
  beforeRollbackCommand: string;
  /** Run in the rollback's checkout once the rollback ended, however it ended (e.g. the maintenance page off); '' for none. */
  afterRollbackCommand: string;
  /** How many times the rollback (command and window) is tried, to the same target; 1: no retry. */
  rollbackAttempts: number;
  /** The wait before the rollback's second attempt; it doubles before each later one (core/rollback-retry.ts). */
  rollbackBackoffMs: number;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/**
 * Reads each input through `read` (which returns '' for an unset input) and validates them all.
 * `env` is where check headers written as `{ env: NAME }` come from.
 */
export async function readSettings(read: (name: InputName) => string, env: NodeJS.ProcessEnv = {}): Promise<SettingsResult> {
  // The runner passes action.yml's defaults; any other caller gets them here.
  const inputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, read(name).trim() || INPUT_DEFAULTS[name]])) as RawInputs;
  const result = await settingsSchema(env).safeParseAsync(inputs);
  if (result.success) return { ok: true, settings: result.data };
  // In action.yml's order, each input's own errors before those of the rules between inputs.
  const order = (path: PropertyKey[]) => INPUT_NAMES.indexOf(path[0] as InputName);
  const issues = [...result.error.issues].sort((a, b) => order(a.path) - order(b.path));
  return { ok: false, errors: issues.map((issue) => `Input "${String(issue.path[0])}": ${issue.message}`) };
}
