import { afterEach, describe, expect, it } from 'vitest';
import { Context, readRunContext } from '../../src/run-context.ts';

// Context reads process.env when it is made, as it does in the composition root.
const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

function runWith(env: Record<string, string | undefined>) {
  for (const key of Object.keys(process.env)) if (key.startsWith('GITHUB_') || key === 'RUNNER_TEMP') delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value;
  return readRunContext(new Context(), process.env);
}

const JOB = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_WORKSPACE: '/work/shop', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_ACTOR: 'octocat' };

describe('the run context', () => {
  it('names who re-ran a run as the one who asked for it, else who started it, else no one', () => {
    const actorOf = (env: Record<string, string | undefined>) => {
      const result = runWith({ ...JOB, ...env });
      return result.ok ? result.context.actor : result.errors;
    };
    expect(actorOf({ GITHUB_TRIGGERING_ACTOR: 'octo-maintainer' })).toBe('octo-maintainer');
    expect(actorOf({})).toBe('octocat');
    expect(actorOf({ GITHUB_ACTOR: undefined })).toBe('');
  });

  it('links to this attempt of the run, on the server the runner names', () => {
    const result = runWith({ ...JOB, GITHUB_SERVER_URL: 'https://ghes.example/', GITHUB_API_URL: 'https://ghes.example/api/v3/' });
    expect(result.ok && result.context).toMatchObject({
      owner: 'acme',
      repo: 'shop',
      apiUrl: 'https://ghes.example/api/v3',
      runUrl: 'https://ghes.example/acme/shop/actions/runs/42/attempts/2',
      runnerTemp: '/work/shop',
    });
  });

  it('names every variable a job must have that is missing or malformed', () => {
    expect(runWith({ GITHUB_REPOSITORY: 'acme/shop/extra' })).toEqual({
      ok: false,
      errors: [
        'GITHUB_REPOSITORY must be "owner/repo"; deploy-guard runs inside a GitHub Actions job',
        'GITHUB_WORKSPACE is not set; deploy-guard runs inside a GitHub Actions job after actions/checkout',
      ],
    });
  });
});
