import { describe, expect, it } from 'vitest';
import { decideGate, incidentMarker, type IssueSummary } from '../../src/core/gate-decision.ts';
import { incidentText } from '../../src/report/incident-text.ts';
import { stepResult } from '../../src/core/outcome.ts';

const bot = { login: 'github-actions[bot]', type: 'Bot' };
const issue = (number: number, body: string, isPullRequest = false, author = bot): IssueSummary => ({
  number,
  title: `#${number}`,
  htmlUrl: `https://github.com/acme/shop/issues/${number}`,
  body,
  isPullRequest,
  author,
});

describe('the gate', () => {
  it('is clear with no open incidents', () => {
    expect(decideGate([], 'production', undefined)).toEqual({ kind: 'clear', ignored: [] });
  });

  it('is blocked only by incidents deploy-guard opened for this environment', () => {
    const issues = [
      issue(3, `${incidentMarker('staging')}\nstaging broke`),
      issue(4, 'someone put the label on a question'),
      issue(5, `${incidentMarker('production')}\nprod broke`, true),
      issue(9, `${incidentMarker('production')}\nprod broke`),
      issue(7, `${incidentMarker('production')}\nprod broke earlier`),
    ];
    const decision = decideGate(issues, 'production', 'github-actions[bot]');
    expect(decision.kind).toBe('blocked');
    expect(decision.kind === 'blocked' && decision.incidents.map((i) => i.number)).toEqual([7, 9]);
    expect(decideGate(issues, 'qa', 'github-actions[bot]')).toEqual({ kind: 'clear', ignored: [] });
  });

  it('does not mistake one environment for another whose name starts the same', () => {
    expect(decideGate([issue(1, incidentMarker('production-eu'))], 'production', undefined)).toEqual({ kind: 'clear', ignored: [] });
  });

  it('ignores a look-alike incident opened by a person, but trusts the personal token\'s own user', () => {
    const spoof = issue(4, incidentMarker('production'), false, { login: 'mallory', type: 'User' });
    expect(decideGate([spoof], 'production', undefined)).toEqual({ kind: 'clear', ignored: [spoof] });
    expect(decideGate([spoof], 'production', 'github-actions[bot]')).toEqual({ kind: 'clear', ignored: [spoof] });
    expect(decideGate([spoof], 'production', 'mallory')).toMatchObject({ kind: 'blocked', ignored: [] });
  });

  it("trusts only deploy-guard's own bot when its identity is known, any bot (fail closed) when not", () => {
    const otherApp = issue(6, incidentMarker('production'), false, { login: 'other-app[bot]', type: 'Bot' });
    expect(decideGate([otherApp], 'production', 'github-actions[bot]')).toEqual({ kind: 'clear', ignored: [otherApp] });
    expect(decideGate([otherApp], 'production', undefined)).toMatchObject({ kind: 'blocked', ignored: [] });
  });

  it('matches the environment case-insensitively, as GitHub names environments', () => {
    expect(decideGate([issue(8, incidentMarker('Production'))], 'production', 'github-actions[bot]')).toMatchObject({ kind: 'blocked' });
  });
});

describe('incident text', () => {
  const unhealthy = {
    kind: 'unhealthy' as const,
    reason: '3 consecutive health rounds failed (failure-threshold is 3)',
    rounds: [{ index: 4, at: 40_000, outcome: 'fail' as const, samples: [{ check: 'web', outcome: 'fail' as const, at: 40_010, latencyMs: 3, value: '503', detail: 'status 503 | not ok' }] }],
  };
  const links = { repoUrl: 'https://github.com/acme/shop', runUrl: 'https://github.com/acme/shop/actions/runs/1/attempts/1' };
  const deployStart = Date.UTC(2026, 10, 23, 14, 0, 0);

  it('says what failed, what it rolled back to, and that closing it unblocks the environment', () => {
    const text = incidentText({
      environment: 'production',
      failedSha: 'b'.repeat(40),
      deploymentId: 12,
      failure: unhealthy,
      links,
      timeline: { start: deployStart, windowStart: deployStart + 5_000 },
      rollback: { sha: 'a'.repeat(40), deploymentId: 13 },
    });
    expect(text.title).toBe('Deploy of bbbbbbb to production failed; rolled back to aaaaaaa');
    expect(text.body.startsWith(incidentMarker('production'))).toBe(true);
    expect(text.body).toContain('**Rolled back and healthy.**');
    expect(text.body).toContain('unhealthy: 3 consecutive health rounds failed');
    expect(text.body).toContain(`Rolled back to the known-good version \`${'a'.repeat(40)}\` (deployment 13)`);
    expect(text.body).toContain('| 5 | 2026-11-23 14:00:45.010 UTC | **fail** | 503 | 3ms | status 503 \\| not ok |');
    expect(text.body).toContain('closing it unblocks deploys to production');
    expect(text.body).toMatch(/Close this issue to unblock deploys to production\.$/);
  });

  it('says plainly when there was nothing to roll back to, and when the rollback failed', () => {
    const none = incidentText({ environment: 'qa', failedSha: 'c'.repeat(40), deploymentId: 1, failure: unhealthy, links, timeline: { start: deployStart } });
    expect(none.title).toMatch(/no known-good version to roll back to/);
    expect(none.body).toMatch(/qa may be serving the failed version/);
    expect(none.body).not.toContain('## Commits');
    const failed = incidentText({
      environment: 'qa',
      failedSha: 'c'.repeat(40),
      deploymentId: 1,
      failure: { kind: 'command-failed', exitCode: 2, signal: null, timedOut: false, timeoutMs: 1000 },
      links,
      timeline: { start: deployStart },
      rollback: { sha: 'd'.repeat(40), failure: { kind: 'error', message: 'the rollback could not run: git fetch failed' } },
    });
    expect(failed.title).toMatch(/the rollback to ddddddd failed too/);
    expect(failed.body).toMatch(/failed: the command exited with code 2/);
    expect(failed.body).toMatch(/git fetch failed\. \*\*qa needs a person now/);
    expect(failed.body).toMatch(/list of commits from .* could not be read/);
  });
});

describe('step result', () => {
  it('exits 0 only for deployed and clear', () => {
    const incident = { number: 1, url: 'u' };
    const failure = { kind: 'error' as const, message: 'm' };
    expect(stepResult({ kind: 'deployed', sha: 's', deploymentId: 1, rounds: [], promoted: false }, 'g').outputs['known-good-sha']).toBe('g');
    expect(stepResult({ kind: 'unhealthy', sha: 's', deploymentId: 1, failure }, 'g').exitCode).toBe(1);
    expect(stepResult({ kind: 'deployed', sha: 's', deploymentId: 1, rounds: [], promoted: true }, undefined)).toEqual({
      exitCode: 0,
      outputs: { result: 'deployed', 'deployment-id': '1', 'deployed-sha': 's', 'known-good-sha': 's' },
    });
    expect(stepResult({ kind: 'clear' }, undefined)).toEqual({ exitCode: 0, outputs: { result: 'clear', incidents: '[]' } });
    expect(stepResult({ kind: 'manual-rollback', sha: 's', deploymentId: 4, incident, actor: 'octo', reason: 'r' }, 's')).toMatchObject({ exitCode: 0, outputs: { result: 'rolled-back' } });
    expect(stepResult({ kind: 'manual-rollback', sha: 's', deploymentId: 4, incident, failure, actor: 'octo', reason: 'r' }, 'g')).toMatchObject({ exitCode: 1, outputs: { result: 'rollback-failed' } });
    expect(stepResult({ kind: 'refused', reason: 'r' }, 'g')).toMatchObject({ exitCode: 1, outputs: { result: 'refused' } });
    expect(stepResult({ kind: 'blocked', by: 'incident', incidents: [incident] }, 'g')).toEqual({
      exitCode: 1,
      outputs: { result: 'blocked', 'known-good-sha': 'g', 'incident-number': '1', 'incident-url': 'u', incidents: '[{"number":1,"url":"u"}]', 'blocked-by': 'incident' },
    });
    expect(stepResult({ kind: 'rolled-back', sha: 's', deploymentId: 2, failure, knownGoodSha: 'g', rollbackDeploymentId: 3, incident }, 'g').exitCode).toBe(1);
    expect(stepResult({ kind: 'no-rollback-target', sha: 's', deploymentId: 2, failure, incident }, undefined).outputs).not.toHaveProperty('known-good-sha');
    expect(stepResult({ kind: 'failed', message: 'x' }, undefined)).toEqual({ exitCode: 1, outputs: { result: 'failed' } });
  });
});

describe('API errors', () => {
  it('name the route, the status, GitHub\'s message and a missing permission', async () => {
    const { apiError } = await import('../../src/github/client.ts');
    const forbidden = { status: 403, response: { data: { message: 'Resource not accessible by integration' }, headers: { 'x-accepted-github-permissions': 'deployments=write' } } };
    expect(apiError('POST /deployments', forbidden).message).toBe(
      'GitHub API POST /deployments failed (403): Resource not accessible by integration. The token needs: deployments=write. Grant it under permissions: in the job that runs deploy-guard.',
    );
    const workflows = { status: 422, response: { data: { message: 'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission' } } };
    expect(apiError('POST /git/refs', workflows).message).toMatch(/only with the workflows permission, which GITHUB_TOKEN can never have/);
    // The same accepted permissions for a token without contents: write: name both, advise permissions: only for contents.
    const refs = { status: 403, response: { data: { message: 'Resource not accessible by integration' }, headers: { 'x-accepted-github-permissions': 'contents=write; contents=write,workflows=write' } } };
    const hint = apiError('POST /git/refs', refs).message;
    expect(hint).toContain('The token needs contents: write (grant it under permissions:');
    expect(hint).toContain('GitHub App installation token');
    expect(hint).not.toMatch(/workflows[=:] ?write[^.]*under permissions/i);
    expect(apiError('GET /issues', { message: 'fetch failed' }).message).toBe('GitHub API GET /issues failed (no response): fetch failed');
  });
});

describe('incident-closer-role', async () => {
  const { closerQualifies } = await import('../../src/core/gate-decision.ts');
  it('ranks read < triage < write < maintain < admin, and no role below all', () => {
    expect(closerQualifies('maintain', 'maintain')).toBe(true);
    expect(closerQualifies('admin', 'write')).toBe(true);
    expect(closerQualifies('triage', 'write')).toBe(false);
    expect(closerQualifies(undefined, 'read')).toBe(false);
  });
});
