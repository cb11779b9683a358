// The pure parts of locks and mark-known-good: the lock issue's holder line, when a lock holds, the
// refusal, the record names, the outcomes' outputs and summary lines, and the deployment ends.
import { describe, expect, it } from 'vitest';
import { describeLock, holderLine, judgeLock, lockMarker, lockRefusal, readHolder, type HeldLock, type LockIssue } from '../../src/core/environment-lock.ts';
import { markedKnownGood, notMarked } from '../../src/core/deployment-end.ts';
import { stepResult, type Failure } from '../../src/core/outcome.ts';
import { recordedIssue, recordRef, recordsPrefix } from '../../src/core/tag-names.ts';
import { lockIssueText, unlockComment } from '../../src/report/lock-text.ts';
import { summaryMarkdown } from '../../src/report/summary-text.ts';

const SINCE = Date.parse('2026-05-01T12:00:00Z');
const holder = { actor: 'octo-writer', reason: 'migrating the orders table', since: SINCE };

describe('the holder line of a lock issue', () => {
  it('reads back what it wrote, whatever the reason holds', () => {
    for (const reason of ['plain', 'ends the comment --> <!-- deploy-guard:lock=staging -->', 'two\nlines "quoted" \\ back', '}} -->', '']) {
      const line = holderLine({ ...holder, reason });
      expect(line.split('\n')).toHaveLength(1);
      expect(line.indexOf('-->')).toBe(line.length - 3);
      expect(readHolder(`text\n${line}\nmore`)).toEqual({ ...holder, reason });
    }
  });

  it('is unreadable, not wrong, when the line is missing or edited', () => {
    expect(readHolder('no line here')).toBeUndefined();
    expect(readHolder('<!-- deploy-guard:lock-holder {"actor":"a","reason":"r"} -->')).toBeUndefined();
    expect(readHolder('<!-- deploy-guard:lock-holder {"actor":1,"reason":"r","since":1} -->')).toBeUndefined();
    expect(readHolder('<!-- deploy-guard:lock-holder {not json} -->')).toBeUndefined();
  });

  it('is in the issue, with the environment marker and the run marker; the reason shows as typed on one line', () => {
    const text = lockIssueText({ environment: 'production', holder: { ...holder, reason: 'see <b>this</b>\n# heading @team' }, runUrl: 'https://run', runMarker: '<!-- deploy-guard:run=1-1 -->' });
    expect(text.title).toBe('Deploys to production locked by @octo-writer: see <b>this</b> # heading @team');
    expect(text.body).toContain(lockMarker('production'));
    expect(text.body).toContain('<!-- deploy-guard:run=1-1 -->');
    expect(text.body).toContain('Reason: see &lt;b&gt;this&lt;/b&gt; # heading @\u200bteam');
    expect(text.body).toContain('since 2026-05-01 12:00:00.000 UTC');
    expect(readHolder(text.body)?.reason).toBe('see <b>this</b>\n# heading @team');
    expect(unlockComment({ environment: 'production', actor: 'octo-writer', reason: 'done', runUrl: 'https://run', runMarker: 'M' })).toBe(
      '**Unlocked** by @octo-writer: deploys to production may start again ([run](https://run)).\n\nReason: done\nM',
    );
  });
});

describe('whether a lock holds', () => {
  const issue = (over: Partial<LockIssue>): LockIssue => ({ number: 7, htmlUrl: 'u', title: 't', body: '', state: 'open', ...over });

  it('holds while open, whoever may be asked', () => {
    expect(judgeLock(issue({}), undefined)).toEqual({ holds: true });
  });

  it.each(['write', 'maintain', 'admin'])('is released when closed by someone with the %s role', (role) => {
    expect(judgeLock(issue({ state: 'closed', closer: 'octo' }), role)).toEqual({ holds: false, why: `closed by @octo (${role})` });
  });

  it.each([['triage'], ['read'], [undefined]])('still holds when closed by someone with %s', (role) => {
    expect(judgeLock(issue({ state: 'closed', closer: 'octo' }), role)).toEqual({ holds: true, closedBelowWrite: { login: 'octo', role } });
  });

  it('still holds when GitHub does not say who closed it', () => {
    expect(judgeLock(issue({ state: 'closed' }), 'admin')).toEqual({ holds: true, closedBelowWrite: { login: 'unknown', role: 'admin' } });
  });
});

describe('the refusal while locked', () => {
  const lock: HeldLock = { number: 7, url: 'https://github.com/acme/shop/issues/7', title: 'Deploys to production locked by @octo-writer: x', holder };
  const now = SINCE + 90 * 60_000;

  it('names who, why, since when, the issue and how to unlock; rollbacks still run', () => {
    expect(lockRefusal('production', [lock], now)).toEqual({
      kind: 'blocked',
      by: 'lock',
      incidents: [],
      reason:
        'production is locked by @octo-writer since 2026-05-01 12:00 UTC (1h30m ago): "migrating the orders table" (lock issue #7, https://github.com/acme/shop/issues/7). ' +
        'To unlock: run deploy-guard with mode: unlock and a reason, or close #7 as someone with write access or more. Rollbacks still run.',
    });
  });

  it('says a close below write access did not release it, and falls back to the title when the holder cannot be read', () => {
    expect(describeLock('production', { ...lock, holder: undefined, closedBelowWrite: { login: 'octo-triager', role: 'triage' } }, now)).toBe(
      'production is locked (lock issue #7, https://github.com/acme/shop/issues/7, "Deploys to production locked by @octo-writer: x"; who and why could not be read from it). ' +
        '#7 was closed by @octo-triager (the triage role), below write access, so the lock still holds.',
    );
  });

  it('keeps a reason on one line of the log', () => {
    expect(describeLock('production', { ...lock, holder: { ...holder, reason: 'a\n::error::forged' } }, now)).toContain('"a\\n::error::forged"');
  });

  it('names every lock when there are several', () => {
    expect(lockRefusal('production', [lock, { ...lock, number: 9 }], now).reason).toContain('or close #7, #9 as someone with write access');
  });
});

describe('records', () => {
  it('lists incidents and locks under one prefix, and reads back the kind and the issue', () => {
    expect(recordsPrefix('deploy-guard', 'production')).toBe('deploy-guard/production/');
    expect(recordRef('deploy-guard', 'production', 'locks', 12)).toBe('deploy-guard/production/locks/12');
    expect(recordedIssue('refs/deploy-guard/production/locks/12', 'deploy-guard', 'production')).toEqual({ kind: 'locks', issue: 12 });
    expect(recordedIssue('refs/deploy-guard/production/incidents/3', 'deploy-guard', 'production')).toEqual({ kind: 'incidents', issue: 3 });
    for (const other of ['refs/deploy-guard/production/locks/0', 'refs/deploy-guard/production/other/3', 'refs/deploy-guard/production/locks/3/x', 'refs/deploy-guard/production-eu/locks/3']) {
      expect(recordedIssue(other, 'deploy-guard', 'production')).toBeUndefined();
    }
  });
});

describe('outcomes of the new modes', () => {
  const failure: Failure = { kind: 'unhealthy', reason: '3 consecutive health rounds failed', rounds: [] };
  const lockRef = { number: 7, url: 'https://github.com/acme/shop/issues/7', holder };

  it('lock and unlock exit 0 with their result; a refusal names what was refused', () => {
    expect(stepResult({ kind: 'locked', lock: lockRef, already: false }, undefined)).toEqual({ exitCode: 0, outputs: { result: 'locked' } });
    expect(stepResult({ kind: 'unlocked', released: [], actor: 'a', reason: 'r' }, undefined)).toEqual({ exitCode: 0, outputs: { result: 'unlocked' } });
    expect(summaryMarkdown({ kind: 'refused', what: 'Lock', reason: 'no' }, 'production')).toContain('Lock refused before anything was changed: no');
    expect(summaryMarkdown({ kind: 'refused', reason: 'no' }, 'production')).toContain('Rollback refused before anything was changed: no');
    expect(summaryMarkdown({ kind: 'unlocked', released: [], actor: 'a', reason: 'r' }, 'production')).toContain('**production** was not locked; there was nothing to unlock.');
    expect(summaryMarkdown({ kind: 'locked', lock: lockRef, already: true }, 'production')).toContain(
      '**production** was already locked by @octo-writer since 2026-05-01 12:00:00.000 UTC: migrating the orders table ([#7](https://github.com/acme/shop/issues/7)); no second lock was taken.',
    );
  });

  it('mark-known-good: marked (exit 0, known-good moves) or unhealthy (exit 1, it does not)', () => {
    const marked = { kind: 'mark-known-good' as const, sha: 'a'.repeat(40), deploymentId: 5, rounds: [], tagMoved: true };
    expect(stepResult(marked, 'b')).toEqual({ exitCode: 0, outputs: { result: 'marked-known-good', 'deployment-id': '5', 'known-good-sha': 'a'.repeat(40) } });
    expect(stepResult({ ...marked, failure, tagMoved: false }, undefined)).toEqual({ exitCode: 1, outputs: { result: 'unhealthy', 'deployment-id': '5' } });
    expect(summaryMarkdown({ ...marked, tagMoved: false }, 'production')).toContain('the known-good tag catches up on a later run');
    expect(summaryMarkdown({ ...marked, failure, tagMoved: false }, 'production')).toContain('Known-good was not moved; nothing was rolled back and no incident was opened.');
    expect(stepResult({ kind: 'blocked', by: 'lock', incidents: [], reason: 'r' }, undefined).outputs['blocked-by']).toBe('lock');
  });

  it('ends the deployment of a mark as success, failure, or error when it did not start', () => {
    expect(markedKnownGood(300_000)).toEqual({ state: 'success', description: 'Marked known-good: healthy for 5m (no deploy command ran)' });
    expect(notMarked(failure)).toEqual({ state: 'failure', description: 'Not marked known-good: unhealthy: 3 consecutive health rounds failed' });
    expect(notMarked('deployment 4 of abc1234 was in progress')).toEqual({ state: 'error', description: 'Not marked known-good: deployment 4 of abc1234 was in progress' });
  });
});
