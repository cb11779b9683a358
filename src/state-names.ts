// Names under which the main step saves state for the post step.
export const OPEN_DEPLOYMENTS_STATE = 'open-deployments';
export const WORKTREE_STATE = 'rollback-worktree';
