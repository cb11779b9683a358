// The comment on a deploy's commit when warn-only checks failed in its health window: one request,
// made only then, so a deploy without warnings costs nothing more. It never changes the result.
import type { RunDeps, RunResult } from '../deps.ts';
import type { Repo } from '../github/client.ts';
import { commentOnCommit } from '../github/commit-comments.ts';
import { warningsComment, warningsResultLine } from '../report/warnings-text.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';

export async function commentOnWarnings(deps: Pick<RunDeps, 'gh' | 'log'>, repo: Repo, settings: Pick<Settings, 'environment'>, context: RunContext, result: RunResult): Promise<void> {
  const { outcome, warnings } = result;
  if (!warnings?.length || !('deploymentId' in outcome) || !('sha' in outcome)) return;
  const body = warningsComment({
    environment: settings.environment,
    sha: outcome.sha,
    deploymentId: outcome.deploymentId,
    result: warningsResultLine(outcome.kind, outcome.sha, 'incident' in outcome ? outcome.incident : undefined),
    repoUrl: `${context.serverUrl}/${context.owner}/${context.repo}`,
    runUrl: context.runUrl,
    warnings,
  });
  try {
    const url = await commentOnCommit(deps.gh, repo, outcome.sha, body);
    deps.log.info(`${warnings.length} warn-only check${warnings.length === 1 ? '' : 's'} failed; the warnings are in a comment on the deployed commit: ${url}`);
  } catch (error) {
    deps.log.warning(`Could not comment the warnings on ${outcome.sha}: ${(error as Error).message}. They are in the job summary.`);
  }
}
