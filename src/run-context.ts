// What the runner tells the action about this run, read from GITHUB_* variables at call time
// (not at import time, unlike @actions/github's context).

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
  /** Who asked for this run: on a re-run, the person who re-ran it. '' when the runner does not say. */
  actor: string;
}

export type RunContextResult = { ok: true; context: RunContext } | { ok: false; errors: string[] };

export function readRunContext(env: NodeJS.ProcessEnv): RunContextResult {
  const errors: string[] = [];
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length) errors.push('GITHUB_REPOSITORY must be "owner/repo"; deploy-guard runs inside a GitHub Actions job');
  const workspace = env.GITHUB_WORKSPACE ?? '';
  if (!workspace) errors.push('GITHUB_WORKSPACE is not set; deploy-guard runs inside a GitHub Actions job after actions/checkout');
  if (errors.length) return { ok: false, errors };
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
  const runId = env.GITHUB_RUN_ID || '0';
  const runAttempt = env.GITHUB_RUN_ATTEMPT || '1';
  return {
    ok: true,
    context: {
      owner: owner!,
      repo: repo!,
      apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
      serverUrl,
      runId,
      runAttempt,
      workspace,
      runnerTemp: env.RUNNER_TEMP || workspace,
      runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/attempts/${runAttempt}`,
      actor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    },
  };
}
