// The pure choices behind drill mode: what the drill rolls back to, whether a deploy holds the
// environment before anything is written, and that a drill's legs never count as proven.
import { describe, expect, it } from 'vitest';
import { chooseDrillTarget, holderNow } from '../../src/core/drill-target.ts';
import { gateMayHaveChanged, passedWindow, type EarlierDeployment } from '../../src/core/deploy-lock.ts';
import { newestProven } from '../../src/core/history-window.ts';
import { drillLegEnd, notDrilled } from '../../src/core/deployment-end.ts';
import { severityOf } from '../../src/core/severity.ts';
import { markerFacts, type DeploymentRecord } from '../../src/github/deployments.ts';

const [A, B, C, T] = ['a', 'b', 'c', 't'].map((x) => x.repeat(40)) as [string, string, string, string];
const NOW = Date.parse('2026-03-01T12:00:00Z');
const LIMITS = { deployTimeoutMs: 30 * 60_000, healthInitialDelayMs: 0, healthWindowMs: 5 * 60_000 };

let nextId = 100;
/** An earlier deployment, settled with `state` an hour ago; newest first is the caller's order. */
function earlier(sha: string, state: string, extra: Partial<EarlierDeployment> = {}): EarlierDeployment {
  nextId -= 1;
  return { id: nextId, sha, state, since: new Date(NOW - 3_600_000).toISOString(), rollback: false, succeeded: state === 'success', dryRun: false, ...extra };
}

describe('the drill target', () => {
  it('goes back to the newest proven version other than known-good', () => {
    const list = [earlier(C, 'success'), earlier(C, 'success'), earlier(B, 'failure'), earlier(A, 'success')];
    expect(chooseDrillTarget('production', C, list)).toEqual({ kind: 'drill', knownGoodSha: C, back: { sha: A, provenBy: list[3]!.id } });
  });

  it('never counts a dry run, a drill leg, a failure or an error as proven, for known-good or for the target', () => {
    const list = [
      earlier(A, 'success', { drill: 'back' }), // a drill's back leg to A: A is not newer known-good because of it
      earlier(B, 'success', { dryRun: true }),
      earlier(T, 'error'),
      earlier(C, 'success'),
      earlier(B, 'failure'),
      earlier(A, 'success', { drill: 'forward' }),
      earlier(T, 'success'),
    ];
    expect(chooseDrillTarget('production', C, list)).toMatchObject({ kind: 'drill', knownGoodSha: C, back: { sha: T } });
  });

  it('takes known-good from the deployments when the tag lags, and from the tag with no proven deployment in sight', () => {
    expect(chooseDrillTarget('production', A, [earlier(B, 'success'), earlier(A, 'success')])).toMatchObject({ knownGoodSha: B, back: { sha: A } });
    expect(chooseDrillTarget('production', A, [earlier(B, 'failure')])).toMatchObject({ kind: 'none', reason: expect.stringContaining('no version other than known-good aaaaaaa') });
  });

  it('has nothing to drill without a known-good version, or with only one proven version', () => {
    expect(chooseDrillTarget('production', undefined, [])).toEqual({ kind: 'none', reason: 'production has no known-good version yet, so there is nothing to drill.' });
    const one = chooseDrillTarget('production', A, [earlier(A, 'success'), earlier(A, 'success'), earlier(B, 'success', { drill: 'back' })]);
    expect(one).toMatchObject({ kind: 'none', reason: expect.stringMatching(/no previous proven version to roll back to/) });
  });
});

describe('a deploy holding the environment, read before the drill writes anything', () => {
  it('is the newest unfinished deployment within its time', () => {
    const running = earlier(B, 'in_progress', { since: new Date(NOW - 60_000).toISOString() });
    expect(holderNow([running, earlier(A, 'success')], LIMITS, NOW)).toMatchObject({ kind: 'held', holder: { id: running.id } });
  });
  it('is nobody once a deployment settled, past deployments that ended in error, or past an abandoned one', () => {
    const abandoned = earlier(B, 'in_progress', { since: new Date(NOW - 10 * 3_600_000).toISOString() });
    expect(holderNow([earlier(B, 'error'), earlier(A, 'success')], LIMITS, NOW)).toBeUndefined();
    expect(holderNow([abandoned, earlier(A, 'success')], LIMITS, NOW)).toBeUndefined();
    expect(holderNow([earlier(A, 'failure'), earlier(B, 'in_progress', { since: new Date(NOW - 60_000).toISOString() })], LIMITS, NOW)).toBeUndefined();
    expect(holderNow([], LIMITS, NOW)).toBeUndefined();
  });
});

describe('drill legs in the rest of deploy-guard', () => {
  it('are read from the marker', () => {
    expect(markerFacts({ rollback: false, drill: 'back', 'drill-run': 42 })).toEqual({ rollback: false, dryRun: false, drill: 'back', drillRun: 42 });
    expect(markerFacts({ rollback: false, drill: 'sideways' })).toEqual({ rollback: false, dryRun: false });
  });
  it('never pass a window, so neither the claim nor a manual rollback nor status takes them as proven', () => {
    expect(passedWindow({ succeeded: true, dryRun: false, drill: 'back' })).toBe(false);
    expect(passedWindow({ succeeded: true, dryRun: false, drill: 'forward' })).toBe(false);
    expect(passedWindow({ succeeded: true, dryRun: false })).toBe(true);
    const record = (id: number, sha: string, drill?: 'back' | 'forward'): DeploymentRecord => ({
      id, sha, createdAt: '2026-03-01T00:00:00Z', rollback: false, dryRun: false, ...(drill ? { drill } : {}), statuses: [{ state: 'success', createdAt: '2026-03-01T00:05:00Z' }],
    });
    expect(newestProven([record(3, A, 'forward'), record(2, B, 'back'), record(1, C)])?.sha).toBe(C);
  });
  it('make the next deploy read the gate again, like a rollback: a failed drill opens its incident before it lets go', () => {
    expect(gateMayHaveChanged(earlier(A, 'success', { drill: 'forward' }), 0)).toBe(true);
    expect(gateMayHaveChanged(earlier(A, 'success'), 0)).toBe(false);
  });
  it('end with a status that says it was a drill, and a drill incident is high, or critical when known-good may not run', () => {
    expect(drillLegEnd('back', 120_000, undefined)).toEqual({ state: 'success', description: 'Drill, back to the previous version: healthy for 2m (a drill; known-good not moved)' });
    expect(drillLegEnd('forward', 120_000, { kind: 'error', message: 'boom' })).toEqual({ state: 'failure', description: 'Drill, forward to known-good: failed: boom' });
    expect(notDrilled('held')).toEqual({ state: 'error', description: 'Not drilled: held' });
    expect(severityOf({ kind: 'drill', forwardFailed: false })).toBe('high');
    expect(severityOf({ kind: 'drill', forwardFailed: true })).toBe('critical');
  });
});
