// Mark-known-good mode: bring a service that already runs under deploy-guard (before its first
// deploy, or after a fix made outside it) by watching what runs now as version `sha`, with no deploy
// command. Healthy for the whole window: a success deployment of `sha` (so it counts as proven,
// core/deploy-lock.ts) and the known-good tag moves to it. Unhealthy: a failure deployment, nothing
// moves, no rollback, no incident. It claims the environment like a deploy (phases/claim.ts), and
// is not refused by incidents, locks or windows: it deploys nothing.
import type { RunDeps, RunResult } from '../deps.ts';
import { markedKnownGood, notMarked } from '../core/deployment-end.ts';
import { formatDuration } from '../core/duration.ts';
import { describeFailure, type Failure } from '../core/outcome.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Repo } from '../github/client.ts';
import { hasCommit } from '../github/commits.ts';
import type { DeploymentLedger } from '../github/deployment-ledger.ts';
import { quoteForLog } from '../report/log-text.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { claimEnvironment, heldMessage } from '../phases/claim.ts';
import { recordDeployment, withDeployments } from '../phases/record.ts';
import { Tags } from '../phases/tag.ts';
import { measureBaselines, watchWindow } from '../phases/watch.ts';
import { writeAccessRefusal } from '../phases/write-access.ts';

const WHAT = 'Mark known-good';

export async function runMarkKnownGood(s: Settings, ctx: RunContext, deps: RunDeps): Promise<RunResult> {
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const allowed = await allow(s, ctx, deps, repo);
  if ('refused' in allowed) {
    deps.log.error(`${WHAT} refused: ${allowed.refused}`);
    return { outcome: { kind: 'refused', what: WHAT, reason: allowed.refused }, knownGoodSha: undefined };
  }
  return withDeployments(deps, repo, ctx, (ledger) => mark(s, ctx, deps, repo, ledger, allowed.sha));
}

/** Who may mark what; refused before anything is written. */
async function allow(s: Settings, ctx: RunContext, deps: RunDeps, repo: Repo): Promise<{ sha: string } | { refused: string }> {
  const refusal = await writeAccessRefusal(deps, repo, ctx, 'marking a version known-good');
  if (refusal) return { refused: refusal };
  const sha = s.sha ?? (await deps.git.headSha().catch(() => undefined));
  if (!sha) return { refused: 'there is no checked-out commit to mark; check out the commit that runs now, or give its full SHA in sha.' };
  if (!(await hasCommit(deps.gh, repo, sha))) {
    return { refused: `${sha} is not a commit of ${repo.owner}/${repo.repo} on GitHub; give the full SHA of a pushed commit, the one that runs in ${s.environment} now.` };
  }
  return { sha };
}

async function mark(s: Settings, ctx: RunContext, deps: RunDeps, repo: Repo, ledger: DeploymentLedger, sha: string): Promise<RunResult> {
  const { log } = deps;
  const short = shortSha(sha);
  const payload = { 'mark-known-good': true, actor: ctx.actor, ...(s.reason ? { reason: s.reason } : {}) };
  // Recorded first, as a deploy's: the deployment is this run's claim on the environment.
  const deploymentId = await recordDeployment({ ...deps, repo, environment: s.environment, context: ctx }, ledger, {
    sha,
    rollback: false,
    kind: 'mark-known-good',
    description: `deploy-guard: marking ${short} known-good by @${ctx.actor} (no deploy)`,
    progress: `Watching what runs as ${short} (no deploy command)`,
    payload,
  });
  const tags = new Tags(deps, repo, s);
  const claim = await claimEnvironment({ deps, repo, environment: s.environment, limits: s, context: ctx, knownGoodRef: tags.knownGoodRef }, deploymentId);
  if (claim.kind === 'held') {
    ledger.plan(deploymentId, notMarked(`deployment ${claim.holder.id} of ${shortSha(claim.holder.sha)} was in progress`));
    throw new Error(heldMessage(s.environment, claim));
  }

  log.info(
    `Marking ${sha} known-good on ${s.environment} for @${ctx.actor}${s.reason ? ` (${quoteForLog(s.reason)})` : ''}: no deploy command runs; ` +
      `the health checks watch what runs there now for ${formatDuration(s.healthWindowMs)}.`,
  );
  const probe = deps.createProbe(await measureBaselines(deps, s));
  const watched = await watchWindow(deps, s, probe, sha);
  deps.throwIfCancelled();
  const { rounds } = watched;

  if (watched.verdict.kind === 'unhealthy') {
    const failure: Failure = { kind: 'unhealthy', reason: watched.verdict.reason, rounds };
    ledger.plan(deploymentId, notMarked(failure));
    log.error(
      `${short} was not marked known-good on ${s.environment}: what runs there was ${describeFailure(failure)}. Known-good did not move; nothing was rolled back and no incident was opened.`,
      `${s.environment}: ${short} not marked known-good`,
    );
    return { outcome: { kind: 'mark-known-good', sha, deploymentId, rounds, failure, tagMoved: false }, knownGoodSha: undefined };
  }
  const tagMoved = await tags.promote(sha);
  ledger.plan(deploymentId, markedKnownGood(s.healthWindowMs));
  await ledger.close(deploymentId);
  log.info(
    `Marked ${short} known-good on ${s.environment}: healthy for the whole window; ` +
      (tagMoved ? `${tags.knownGoodRef} now points at it.` : `deployment ${deploymentId} records it, and ${tags.knownGoodRef} catches up on a later run.`),
  );
  return { outcome: { kind: 'mark-known-good', sha, deploymentId, rounds, tagMoved }, knownGoodSha: sha };
}
