import { describe, expect, it } from 'vitest';
import { mayRollBack, parseRollbackTarget } from '../../src/core/rollback-target.ts';
import { statusReport } from '../../src/core/status-report.ts';
import type { DeploymentRecord } from '../../src/github/deployments.ts';

const SHA = 'a'.repeat(40);

describe('rollback-to', () => {
  const parse = (text: string) => parseRollbackTarget(text, 'deploy-guard', 'production');
  it('defaults to the known-good tag', () => {
    expect(parse('')).toEqual({ kind: 'tag', ref: 'tags/deploy-guard/production/known-good', knownGood: true });
    expect(parse('deploy-guard/production/known-good')).toEqual({ kind: 'tag', ref: 'tags/deploy-guard/production/known-good', knownGood: true });
  });
  it('accepts a pre-deploy tag of this environment, with or without refs/tags/', () => {
    const tag = { kind: 'tag', ref: 'tags/deploy-guard/production/deploy-77-2', knownGood: false };
    expect(parse('deploy-guard/production/deploy-77-2')).toEqual(tag);
    expect(parse('refs/tags/deploy-guard/production/deploy-77-2')).toEqual(tag);
  });
  it('accepts a full SHA and refuses a short one', () => {
    expect(parse(SHA.toUpperCase())).toEqual({ kind: 'sha', sha: SHA });
    expect(parse('abc1234')).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/full 40-character/) });
  });
  it('refuses a tag of another environment and anything else', () => {
    expect(parse('deploy-guard/staging/deploy-1-1')).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/of environment "staging", not of production/) });
    expect(parse('v1.2.3')).toMatchObject({ kind: 'invalid' });
    expect(parse('deploy-guard/production/../staging/known-good')).toMatchObject({ kind: 'invalid' });
  });
  it('lets write, maintain and admin roll back, not triage or read', () => {
    expect(['admin', 'maintain', 'write'].every(mayRollBack)).toBe(true);
    expect(['triage', 'read', undefined].some(mayRollBack)).toBe(false);
  });
});

describe('status report', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-11-23T12:00:00Z');
  const at = (daysAgo: number, plusMs = 0) => new Date(now - daysAgo * DAY + plusMs).toISOString();
  const dep = (id: number, sha: string, daysAgo: number, states: string[], extra: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
    id,
    sha,
    createdAt: at(daysAgo),
    rollback: false,
    dryRun: false,
    statuses: states.map((state, i) => ({ state, createdAt: at(daysAgo, (i + 1) * 60_000) })).reverse(),
    ...extra,
  });

  it('counts deploys, rollbacks, the rollback rate and the mean time to recovery over 30 days', () => {
    const deployments = [
      dep(6, 'c', 1, ['in_progress', 'success']),
      // Bad deploys 5 and 4, each undone by a rollback that was healthy 2 minutes after the bad deploy began.
      dep(51, 'b', 2, ['in_progress', 'success'], { rollback: true, rollbackOf: 5 }),
      dep(5, 'x', 2, ['in_progress', 'failure']),
      dep(41, 'b', 10, ['in_progress', 'success'], { rollback: true, rollbackOf: 4 }),
      dep(4, 'y', 10, ['in_progress', 'failure']),
      dep(3, 'b', 12, ['in_progress', 'success', 'inactive']),
      dep(2, 'old', 40, ['in_progress', 'success']),
    ];
    const report = statusReport({ environment: 'production', knownGoodSha: 'c', deployments, openIncidents: [], now });
    expect(report.last30Days).toEqual({ deploys: 4, rollbacks: 2, rollbackRate: 0.5, meanTimeToRecoveryMs: 120_000 });
    expect(report.knownGood).toEqual({ sha: 'c', since: at(1, 120_000) });
    expect(report.recentDeployments.map((d) => [d.id, d.state])).toEqual([[6, 'success'], [51, 'success'], [5, 'failure'], [41, 'success'], [4, 'failure'], [3, 'inactive'], [2, 'success']]);
  });

  it('has no rate and no recovery time without deploys', () => {
    expect(statusReport({ environment: 'qa', knownGoodSha: undefined, deployments: [], openIncidents: [], now }).last30Days).toEqual({
      deploys: 0,
      rollbacks: 0,
      rollbackRate: null,
      meanTimeToRecoveryMs: null,
    });
  });
});
