import { describe, expect, it } from 'vitest';
import { decodePendingIncident, encodePendingIncident, type PendingIncident } from '../../src/core/pending-incident.ts';
import { mayTakeOver, takenOverDescription, takeOverRefusal } from '../../src/core/take-over.ts';

const pending: PendingIncident = {
  environment: 'production',
  label: 'deploy-incident',
  prefix: 'deploy-guard',
  failedSha: 'a'.repeat(40),
  failedDeploymentId: 12,
  failure: 'unhealthy: 3 consecutive health rounds failed',
  knownGoodSha: 'b'.repeat(40),
  failedAt: 1_700_000_000_000,
};

describe('the incident a run owes (step state)', () => {
  it('reads back what was saved, with or without a known-good version', () => {
    expect(decodePendingIncident(encodePendingIncident(pending))).toEqual(pending);
    const { knownGoodSha: _, ...none } = pending;
    expect(decodePendingIncident(encodePendingIncident(none))).toEqual(none);
    const ended: PendingIncident = { ...pending, rollbackResult: 'failed' };
    expect(decodePendingIncident(encodePendingIncident(ended))).toEqual(ended);
  });

  it('reads a cleared, empty or malformed state as nothing owed', () => {
    for (const text of ['', 'null', '[]', '{', '"x"', JSON.stringify({ ...pending, failedDeploymentId: '12' }), JSON.stringify({ ...pending, label: '' }), JSON.stringify({ ...pending, knownGoodSha: 1 }), JSON.stringify({ ...pending, rollbackResult: 'maybe' })]) {
      expect(decodePendingIncident(text), text).toBeUndefined();
    }
  });
});

describe('take-over', () => {
  it('is for maintain and admin only', () => {
    expect(['admin', 'maintain'].map(mayTakeOver)).toEqual([true, true]);
    expect(['write', 'triage', 'read', undefined, 'owner'].map(mayTakeOver)).toEqual([false, false, false, false, false]);
  });

  it('names the role needed and the actor, and records who took over and why on one line', () => {
    expect(takeOverRefusal('octo', 'write', 'acme/shop')).toMatch(/^take-over needs the maintain role or more on acme\/shop, and @octo has the write role\./);
    expect(takeOverRefusal('', undefined, 'acme/shop')).toContain('@unknown has no role');
    expect(takenOverDescription('octo', 'runner lost\n::error::x')).toBe('Taken over by @octo for a manual rollback: runner lost ::error::x');
  });
});
