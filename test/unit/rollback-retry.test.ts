// Rollback attempts: the waits between them (doubling, capped), the loop that makes them on a fake
// clock, the inputs that set them, and how the reports and deployment statuses name them.
import { describe, expect, it } from 'vitest';
import { automaticRollbackEnd, manualRollbackEnd } from '../../src/core/deployment-end.ts';
import type { Failure } from '../../src/core/outcome.ts';
import { stepResult } from '../../src/core/outcome.ts';
import { attemptInTurn, ROLLBACK_WAIT_CAP_MS, waitBeforeAttempt, waitSchedule, type RollbackJournal } from '../../src/core/rollback-retry.ts';
import { hookAlarm, journalSection } from '../../src/report/rollback-journal-text.ts';
import { readSettings, type InputName } from '../../src/settings.ts';
import { fakeClock } from './fake-clock.ts';

const failed: Failure = { kind: 'command-failed', exitCode: 1, signal: null, timedOut: false, timeoutMs: 60_000 };
const base: Partial<Record<InputName, string>> = { 'github-token': 'ghs_x', 'deploy-command': './deploy.sh', 'health-url': 'http://127.0.0.1:8080/health' };
const read = (inputs: Partial<Record<InputName, string>>) => readSettings((name) => ({ ...base, ...inputs })[name] ?? '');

describe('the waits between rollback attempts', () => {
  it('start at rollback-backoff and double before each later attempt, up to the cap', () => {
    expect(waitSchedule({ attempts: 1, backoffMs: 10_000 })).toEqual([]);
    expect(waitSchedule({ attempts: 5, backoffMs: 10_000 })).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(waitSchedule({ attempts: 10, backoffMs: 5 * 60_000 })).toEqual([300_000, 600_000, 600_000, 600_000, 600_000, 600_000, 600_000, 600_000, 600_000]);
    expect(waitBeforeAttempt(10, 10 * 60_000)).toBe(ROLLBACK_WAIT_CAP_MS);
    expect(waitSchedule({ attempts: 3, backoffMs: 0 })).toEqual([0, 0]);
  });
});

describe('attemptInTurn', () => {
  it('tries again after each failure, waiting the schedule in virtual time, and stops at the first success', async () => {
    const clock = fakeClock(0);
    const startedAt: number[] = [];
    const retries: Array<[number, number]> = [];
    const result = await attemptInTurn(
      { attempts: 5, backoffMs: 10_000 },
      { clock, throwIfCancelled: () => {}, onRetry: (record, waitMs) => void retries.push([record.number, waitMs]) },
      async (n) => {
        startedAt.push(clock.now());
        await clock.sleep(1_000); // the attempt itself takes 1 s
        return n < 3 ? { failure: failed } : {};
      },
    );
    // Attempt 1 at 0; 1 s, then 10 s of waiting; attempt 2 at 11 s; 1 s, then 20 s; attempt 3 at 32 s.
    expect(startedAt).toEqual([0, 11_000, 32_000]);
    expect(retries).toEqual([[1, 10_000], [2, 20_000]]);
    expect(result.last).toEqual({});
    expect(result.records).toEqual([
      { number: 1, start: 0, end: 1_000, failure: failed },
      { number: 2, start: 11_000, end: 12_000, failure: failed },
      { number: 3, start: 32_000, end: 33_000 },
    ]);
  });

  it('gives up after the last attempt, with its failure, and no wait after it', async () => {
    const clock = fakeClock(0);
    let made = 0;
    const result = await attemptInTurn({ attempts: 3, backoffMs: 1_000 }, { clock, throwIfCancelled: () => {} }, async () => {
      made += 1;
      return { failure: failed };
    });
    expect(made).toBe(3);
    expect(result.last.failure).toBe(failed);
    expect(result.records.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(clock.elapsed()).toBe(1_000 + 2_000);
  });

  it('makes one attempt with rollback-attempts 1', async () => {
    let made = 0;
    const result = await attemptInTurn({ attempts: 1, backoffMs: 10_000 }, { clock: fakeClock(0), throwIfCancelled: () => {} }, async () => {
      made += 1;
      return { failure: failed };
    });
    expect(made).toBe(1);
    expect(result.records).toHaveLength(1);
  });

  it('stops retrying once the run is cancelled, during the wait', async () => {
    const clock = fakeClock(0);
    let made = 0;
    const throwIfCancelled = () => {
      if (clock.now() >= 3_000) throw new Error('the run was cancelled (SIGINT)');
    };
    const records: Parameters<typeof attemptInTurn>[3] = [];
    await expect(
      attemptInTurn({ attempts: 3, backoffMs: 60_000 }, { clock, throwIfCancelled }, async () => {
        made += 1;
        return { failure: failed };
      }, records),
    ).rejects.toThrow(/cancelled/);
    expect(made).toBe(1);
    // Seen within a second of the cancel, not after the whole minute.
    expect(clock.elapsed()).toBe(3_000);
    expect(records).toHaveLength(1);
  });

  it('records an attempt that threw as an error, and lets the error through', async () => {
    const records: Parameters<typeof attemptInTurn>[3] = [];
    await expect(
      attemptInTurn({ attempts: 3, backoffMs: 0 }, { clock: fakeClock(0), throwIfCancelled: () => {} }, async () => {
        throw new Error('could not start bash for the command: spawn bash ENOENT');
      }, records),
    ).rejects.toThrow(/ENOENT/);
    expect(records).toEqual([{ number: 1, start: 0, end: 0, failure: { kind: 'error', message: 'could not start bash for the command: spawn bash ENOENT' } }]);
  });
});

describe('the rollback inputs', () => {
  it('default to one attempt, a 10 s backoff and no hooks', async () => {
    const result = await read({});
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.settings).toMatchObject({ rollbackAttempts: 1, rollbackBackoffMs: 10_000, beforeRollbackCommand: '', afterRollbackCommand: '' });
  });

  it('accept 1 to 10 attempts and a backoff of 0s to 10m', async () => {
    const result = await read({ 'rollback-attempts': '10', 'rollback-backoff': '0s' });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.settings).toMatchObject({ rollbackAttempts: 10, rollbackBackoffMs: 0 });
    const longest = await read({ 'rollback-backoff': '10m' });
    expect(longest.ok && longest.settings.rollbackBackoffMs).toBe(600_000);
  });

  it.each([
    ['rollback-attempts', '0', 'Input "rollback-attempts": "0" must be a whole number from 1 (one attempt, no retry) to 10'],
    ['rollback-attempts', '11', 'Input "rollback-attempts": "11" must be a whole number from 1 (one attempt, no retry) to 10'],
    ['rollback-attempts', 'three', 'Input "rollback-attempts": "three" must be a whole number from 1 (one attempt, no retry) to 10'],
    ['rollback-backoff', '11m', 'Input "rollback-backoff": "11m" is longer than the maximum, 10m'],
    ['rollback-backoff', 'soon', 'Input "rollback-backoff": "soon" is not a duration; write a number and a unit, e.g. 500ms, 30s, 5m or 1h'],
  ] as const)('refuse %s: %s', async (input, value, message) => {
    const result = await read({ [input]: value });
    expect(result.ok ? [] : result.errors).toEqual([message]);
  });
});

const journal = (over: Partial<RollbackJournal> = {}): RollbackJournal => ({
  limit: 3,
  attempts: [
    { number: 1, start: Date.UTC(2026, 0, 1, 12, 0, 0), end: Date.UTC(2026, 0, 1, 12, 0, 5), failure: failed },
    { number: 2, start: Date.UTC(2026, 0, 1, 12, 0, 15), end: Date.UTC(2026, 0, 1, 12, 1, 0) },
  ],
  hooks: [],
  ...over,
});

describe('how attempts and hooks are reported', () => {
  it('names every attempt with its times and result', () => {
    expect(journalSection(journal(), 3)).toEqual([
      '',
      '### Rollback attempts',
      '',
      '2 of at most 3, each to the same version from the same checkout:',
      '',
      '| Attempt | Started (UTC) | Took | Result |',
      '| --- | --- | --- | --- |',
      '| 1 of 3 | 2026-01-01 12:00:00.000 UTC | 5s | failed: the command exited with code 1 |',
      '| 2 of 3 | 2026-01-01 12:00:15.000 UTC | 45s | **healthy** |',
    ]);
  });

  it('says nothing with one attempt allowed and no hooks (the report reads as before)', () => {
    expect(journalSection(journal({ limit: 1, attempts: [{ number: 1, start: 0, end: 1 }] }), 3)).toEqual([]);
    expect(hookAlarm(journal())).toEqual([]);
  });

  it('raises an alarm for a hook that failed or did not run, and fails a manual rollback that was healthy', () => {
    const hooks: RollbackJournal['hooks'] = [
      { input: 'before-rollback-command', start: 0, end: 1_000, failure: { ...failed, exitCode: 4 } },
      { input: 'after-rollback-command', start: 2_000, end: 2_000, notRun: 'the run was cancelled (SIGINT)' },
    ];
    const j = journal({ hooks });
    expect(hookAlarm(j)).toEqual([
      '**`before-rollback-command` failed:** the command exited with code 4; the rollback ran anyway.',
      '**`after-rollback-command` was not run:** the run was cancelled (SIGINT); check what it should have undone (e.g. a maintenance page still on).',
    ]);
    expect(journalSection(j, 2).join('\n')).toContain('| `before-rollback-command` | 1970-01-01 00:00:00.000 UTC | 1s | **failed**: the command exited with code 4 |');
    const manual = { kind: 'manual-rollback', sha: 'a'.repeat(40), deploymentId: 1, incident: { number: 2, url: 'u' }, actor: 'octo', reason: 'r' } as const;
    expect(stepResult(manual, undefined).exitCode).toBe(0);
    expect(stepResult({ ...manual, journal: j }, undefined)).toMatchObject({ exitCode: 1, outputs: { result: 'rolled-back' } });
  });

  it('the rollback deployment\'s end names the attempts when more than one was allowed', () => {
    const sha = 'abc1234'.padEnd(40, '0');
    expect(automaticRollbackEnd(sha, undefined).description).toBe('Rolled back to known-good abc1234; healthy');
    expect(automaticRollbackEnd(sha, undefined, journal()).description).toBe('Rolled back to known-good abc1234; healthy (attempt 2 of 3)');
    const three = journal({ attempts: [1, 2, 3].map((number) => ({ number, start: 0, end: 0, failure: failed })) });
    expect(automaticRollbackEnd(sha, failed, three).description).toBe('Rollback failed after 3 attempts: the command exited with code 1');
    expect(manualRollbackEnd(60_000, failed, three).description).toBe('Manual rollback failed after 3 attempts: the command exited with code 1');
  });
});
