// Composition root of the post step: runs after the main step however it ended (also when it was
// cancelled or killed). Opens the incident the main step still owed (its deploy failed and it was
// stopped before the incident was open, e.g. during the rollback), then closes any deployment it
// left in progress, and removes the rollback worktree.
import * as core from '@actions/core';
import { decodePendingIncident } from './core/pending-incident.ts';
import { createRedactor, rawInputSecrets } from './core/redact.ts';
import { createCoreLog } from './core-log.ts';
import { readSettings, type InputName } from './settings.ts';
import { createGitHubClient } from './github/client.ts';
import { apiTimeoutFrom } from './github/request-timeout.ts';
import { OPEN_DEPLOYMENTS_STATE, PENDING_INCIDENT_STATE, WORKTREE_STATE } from './state-names.ts';
import { Git } from './git.ts';
import { finishStoppedRun } from './modes/stopped-run.ts';
import { Context, readRunContext } from './run-context.ts';

async function post(): Promise<void> {
  const context = readRunContext(new Context(), process.env);
  if (!context.ok) return;
  const ctx = context.context;
  const open = parseIds(core.getState(OPEN_DEPLOYMENTS_STATE));
  const pending = decodePendingIncident(core.getState(PENDING_INCIDENT_STATE));
  if (open.length || pending) {
    const token = core.getInput('github-token');
    // The same redaction as the main step: the incident this step may open must not publish a secret either.
    const read = await readSettings((name: InputName) => core.getInput(name), process.env);
    const secrets = read.ok ? read.settings.secrets : rawInputSecrets({ token, webhook: core.getInput('notify-webhook'), deployEnv: process.env.DEPLOY_ENV });
    secrets.forEach((secret) => core.setSecret(secret));
    const redactor = createRedactor(secrets);
    const log = createCoreLog(redactor.text);
    const gh = createGitHubClient({ token, baseUrl: ctx.apiUrl, log, userAgent: 'deploy-guard/0.1.0', requestTimeoutMs: apiTimeoutFrom(process.env).ms, redactor });
    const finished = await finishStoppedRun({ gh, context: ctx, log, openDeploymentIds: open, pending });
    if (!finished) core.setFailed('deploy-guard: the incident of a failed deploy could not be opened');
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
