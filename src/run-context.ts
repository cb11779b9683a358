// What the runner tells the action about this run: @actions/github's Context, made by the
// composition root when the step runs (not the `context` @actions/github builds when it is
// imported), plus what Context leaves out (the workspace, the runner's temp dir, who re-ran it).
// @actions/github's package exports only that import-time instance, not its class, and importing
// the package loads Octokit too: the class is taken from its own file, so an input error stays cheap.
import { Context } from '../node_modules/@actions/github/lib/context.js';

export { Context };

export interface RunContext {
  owner: string;
  repo: string;
  apiUrl: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
  workspace: string;
  runnerTemp: string;
  /** Link to this run's log, for deployment statuses and incidents. */
  runUrl: string;
  /** Who asked for this run: who re-ran it (GITHUB_TRIGGERING_ACTOR), else who started it (GITHUB_ACTOR); empty if neither. */
  actor: string;
}

export type RunContextResult = { ok: true; context: RunContext } | { ok: false; errors: string[] };

/** What is read from @actions/github's Context (a test may hand in these facts itself). */
export type RunFacts = Pick<Context, 'repo' | 'apiUrl' | 'serverUrl' | 'runId' | 'runAttempt' | 'actor'>;

/** `github`: a Context made now; `env`: for what Context does not read. */
export function readRunContext(github: RunFacts, env: NodeJS.ProcessEnv): RunContextResult {
  const errors: string[] = [];
  const place = repositoryOf(github, env);
  if (!place) errors.push('GITHUB_REPOSITORY must be "owner/repo"; deploy-guard runs inside a GitHub Actions job');
  const workspace = env.GITHUB_WORKSPACE ?? '';
  if (!workspace) errors.push('GITHUB_WORKSPACE is not set; deploy-guard runs inside a GitHub Actions job after actions/checkout');
  if (!place || errors.length) return { ok: false, errors };
  const { owner, repo } = place;
  const serverUrl = (github.serverUrl || 'https://github.com').replace(/\/$/, '');
  // Context parses the run's id and attempt as numbers: NaN when the runner did not set them.
  const runId = Number.isNaN(github.runId) ? '0' : String(github.runId);
  const runAttempt = Number.isNaN(github.runAttempt) ? '1' : String(github.runAttempt);
  return {
    ok: true,
    context: {
      owner,
      repo,
      apiUrl: (github.apiUrl || 'https://api.github.com').replace(/\/$/, ''),
      serverUrl,
      runId,
      runAttempt,
      workspace,
      runnerTemp: env.RUNNER_TEMP || workspace,
      runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/attempts/${runAttempt}`,
      actor: env.GITHUB_TRIGGERING_ACTOR || github.actor || '',
    },
  };
}

/** Context's owner and repo, if GITHUB_REPOSITORY names exactly those two (Context drops a third part; without it, reads the event). */
function repositoryOf(github: RunFacts, env: NodeJS.ProcessEnv): { owner: string; repo: string } | undefined {
  let place: { owner: string; repo: string };
  try {
    place = github.repo;
  } catch {
    return undefined;
  }
  if (!place.owner || !place.repo) return undefined;
  if (env.GITHUB_REPOSITORY !== undefined && env.GITHUB_REPOSITORY !== `${place.owner}/${place.repo}`) return undefined;
  return place;
}
