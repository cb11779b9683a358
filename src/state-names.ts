// The state names, declared with the inputs and outputs in action-io.ts (kept for their importers).
export { OPEN_DEPLOYMENTS_STATE, PENDING_INCIDENT_STATE, WORKTREE_STATE } from './action-io.ts';
