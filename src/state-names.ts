// Names under which the main step saves state for the post step.
export const OPEN_DEPLOYMENTS_STATE = 'open-deployments';
export const WORKTREE_STATE = 'rollback-worktree';
/** The incident a run owes once its deploy failed (core/pending-incident.ts); '' once it is open. */
export const PENDING_INCIDENT_STATE = 'pending-incident';
