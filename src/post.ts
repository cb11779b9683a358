// Composition root of the post step: runs after the main step however it ended (also when it was
// cancelled or killed). Opens the incident the main step still owed (its deploy failed and it was
// stopped before the incident was open, e.g. during the rollback), then closes any deployment it
// left in progress, and removes the rollback worktree.
import * as core from '@actions/core';
import { decodePendingIncident } from './core/pending-incident.ts';
import { OPEN_DEPLOYMENTS_STATE, PENDING_INCIDENT_STATE, WORKTREE_STATE } from './state-names.ts';
import { Context, readRunContext } from './run-context.ts';

// The rest is loaded only when there is something to finish (post-finish.ts) or remove (git.ts):
// after a deploy that ended as it should, the step reads its state and stops.
async function post(): Promise<void> {
  const context = readRunContext(new Context(), process.env);
  if (!context.ok) return;
  const ctx = context.context;
  const open = parseIds(core.getState(OPEN_DEPLOYMENTS_STATE));
  const pending = decodePendingIncident(core.getState(PENDING_INCIDENT_STATE));
  if (open.length || pending) {
    const { finishLeftWork } = await import('./post-finish.ts');
    if (!(await finishLeftWork(ctx, open, pending))) core.setFailed('deploy-guard: the incident of a failed deploy could not be opened');
  }
  const worktree = core.getState(WORKTREE_STATE);
  if (worktree) {
    const { Git } = await import('./git.ts');
    await new Git(ctx.workspace).removeWorktree(worktree).catch((e: Error) => core.warning(`Could not remove ${worktree}: ${e.message}`));
  }
}

function parseIds(text: string): number[] {
  if (!text) return [];
  try {
    const ids: unknown = JSON.parse(text);
    return Array.isArray(ids) ? ids.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

await post();
