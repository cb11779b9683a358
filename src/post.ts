// Composition root of the post step: runs after the main step however it ended (also when it was
// cancelled or killed). Closes any deployment the main step left in progress, and removes the
// rollback worktree.
import * as core from '@actions/core';
import { coreLog } from './core-log.ts';
import { createGitHubClient } from './github/client.ts';
import { OPEN_DEPLOYMENTS_STATE, WORKTREE_STATE } from './state-names.ts';
import { latestDeploymentState, setDeploymentStatus } from './github/deployments.ts';
import { Git } from './git.ts';
import { readRunContext } from './run-context.ts';

async function post(): Promise<void> {
  const context = readRunContext(process.env);
  if (!context.ok) return;
  const ctx = context.context;
  const open = parseIds(core.getState(OPEN_DEPLOYMENTS_STATE));
  if (open.length) {
    const token = core.getInput('github-token');
    const gh = createGitHubClient({ token, baseUrl: ctx.apiUrl, log: coreLog, userAgent: 'deploy-guard/0.1.0' });
    const repo = { owner: ctx.owner, repo: ctx.repo };
    for (const id of open) {
      try {
        const state = await latestDeploymentState(gh, repo, id);
        if (state !== 'in_progress' && state !== 'queued' && state !== 'pending' && state !== undefined) continue;
        await setDeploymentStatus(gh, repo, id, 'error', {
          description: 'The deploy-guard step was stopped (cancelled or killed) before this deployment finished',
          logUrl: ctx.runUrl,
        });
        core.warning(`Deployment ${id} was left ${state ?? 'without a status'} by a stopped run; marked it error.`);
      } catch (error) {
        core.warning(`Could not close deployment ${id}: ${(error as Error).message}`);
      }
    }
  }
  const worktree = core.getState(WORKTREE_STATE);
  if (worktree) {
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
