import type { NotifyFormat } from './report/notify-payload.ts';

// The action's interface with the runner, as action.yml declares it: the inputs with their
// defaults, the outputs, and the state the main step leaves for the post step. Every name is spelled
// here only; test/contract/action-yml.test.ts holds action.yml and the code to these lists.

/** Every input in action.yml with the default it declares there. */
export const INPUT_DEFAULTS = {
  mode: 'deploy',
  environment: 'production',
  'github-token': '${{ github.token }}',
  'deploy-command': '',
  'rollback-command': '',
  'health-url': '',
  checks: '',
  'health-window': '5m',
  'health-interval': '10s',
  'health-initial-delay': '0s',
  'failure-threshold': '3',
  'max-failed-rounds': '',
  'inconclusive-threshold': '0',
  'request-timeout': '5s',
  'health-checks-use-proxy': 'true',
  'health-allow-link-local': 'false',
  'deploy-timeout': '30m',
  'tag-prefix': 'deploy-guard',
  'incident-label': 'deploy-incident',
  'incident-closer-role': '',
  'require-postmortem': 'false',
  'incident-repository': '',
  'notify-webhook': '',
  'notify-format': 'json',
  'dry-run': 'false',
  'rollback-to': '',
  reason: '',
  force: 'false',
  'take-over': 'false',
  severity: 'medium',
  'deploy-windows': '',
  'deploy-freezes': '',
  'time-zone': 'UTC',
  'override-reason': '',
  'require-proven-in': '',
  sha: '',
  period: '30d',
  stages: '',
  'before-rollback-command': '',
  'after-rollback-command': '',
  'rollback-attempts': '1',
  'rollback-backoff': '10s',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;
/** In action.yml's order, which is also the order input errors are reported in. */
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];

// The inputs that take one of a list (incident-closer-role takes a role of core/gate-decision.ts).
export const MODES = ['deploy', 'rollback', 'gate', 'status', 'lock', 'unlock', 'mark-known-good', 'drill'] as const;
export type Mode = (typeof MODES)[number];
export const NOTIFY_FORMATS: readonly NotifyFormat[] = ['slack', 'discord', 'json'];

/** Every output in action.yml. */
export const OUTPUT_NAMES = [
  'result',
  'deployment-id',
  'incident-number',
  'incident-url',
  'known-good-sha',
  'deployed-sha',
  'incidents',
  'status',
  'blocked-by',
  'warnings',
  'drill-deployments',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

// What the main step saves (core.saveState) for the post step, which runs however the main step ended.
/** The deploy-guard deployments the run still has in progress (a JSON array of ids). */
export const OPEN_DEPLOYMENTS_STATE = 'open-deployments';
/** The directory of the rollback's git worktree, removed by the post step. */
export const WORKTREE_STATE = 'rollback-worktree';
/** The incident a run owes once its deploy failed (core/pending-incident.ts); '' once it is open. */
export const PENDING_INCIDENT_STATE = 'pending-incident';
export const STATE_NAMES = [OPEN_DEPLOYMENTS_STATE, WORKTREE_STATE, PENDING_INCIDENT_STATE] as const;
export type StateName = (typeof STATE_NAMES)[number];
