import { describe, expect, it } from 'vitest';
import { gateMayHaveChanged, judgeEarlier, type EarlierDeployment } from '../../src/core/deploy-lock.ts';

const limits = { deployTimeoutMs: 30 * 60_000, healthInitialDelayMs: 0, healthWindowMs: 5 * 60_000 };
const abandonAfterMs = 2 * 35 * 60_000 + 5 * 60_000;
const now = Date.parse('2026-11-23T12:00:00Z');
const earlier = (state: string | undefined, agoMs = 60_000, rollback = false): EarlierDeployment => ({
  id: 7,
  sha: 'a'.repeat(40),
  state,
  since: new Date(now - agoMs).toISOString(),
  rollback,
  succeeded: state === 'success',
  dryRun: false,
});

describe('judging a deployment made before this run', () => {
  it('an unfinished one holds the environment, whatever its status says', () => {
    for (const state of ['in_progress', 'queued', 'pending', undefined]) {
      expect(judgeEarlier(earlier(state), limits, now)).toEqual({ kind: 'held', ageMs: 60_000, abandonAfterMs });
    }
  });
  it('an unfinished one older than twice the longest deploy plus 5 minutes was abandoned', () => {
    expect(judgeEarlier(earlier('in_progress', abandonAfterMs), limits, now).kind).toBe('held');
    expect(judgeEarlier(earlier('in_progress', abandonAfterMs + 1), limits, now)).toEqual({ kind: 'abandoned', ageMs: abandonAfterMs + 1 });
  });
  it('an error is passed over (it may be a run that stepped back); any other end settles the search', () => {
    expect(judgeEarlier(earlier('error'), limits, now)).toEqual({ kind: 'passed-over' });
    for (const state of ['success', 'failure', 'inactive']) expect(judgeEarlier(earlier(state), limits, now)).toEqual({ kind: 'settled' });
  });
});

describe('reading the gate again once the environment is held', () => {
  it('is needed after a failure, a rollback or an error, and not after a healthy deploy or none', () => {
    expect(gateMayHaveChanged(earlier('success'), 0)).toBe(false);
    expect(gateMayHaveChanged(undefined, 0)).toBe(false);
    expect(gateMayHaveChanged(earlier('failure'), 0)).toBe(true);
    expect(gateMayHaveChanged(earlier('success', 1000, true), 0)).toBe(true);
    expect(gateMayHaveChanged(earlier('success'), 1)).toBe(true);
    expect(gateMayHaveChanged(undefined, 2)).toBe(true);
  });

  it('takes a success that GitHub later marked inactive (a newer job deployment succeeded) for a success', () => {
    expect(gateMayHaveChanged({ ...earlier('inactive'), succeeded: true }, 0)).toBe(false);
    expect(gateMayHaveChanged({ ...earlier('inactive'), succeeded: false }, 0)).toBe(true);
  });
});
