// Warn-only checks (on-failure: warn): read from the checks input, left out of the verdict, and
// reported (core/warnings.ts, report/warnings-text.ts) in the summary, the incident and the comment.
import { describe, expect, it } from 'vitest';
import { stepResult, type Failure } from '../../src/core/outcome.ts';
import { createVerdictTracker, roundOutcome, type Round, type Sample } from '../../src/core/verdict.ts';
import { checkWarnings } from '../../src/core/warnings.ts';
import type { Check } from '../../src/health/check-types.ts';
import { parseChecks } from '../../src/health/checks-input.ts';
import { watchHealth, type Probe } from '../../src/health/watch.ts';
import type { Log } from '../../src/log.ts';
import { incidentText, type IncidentFacts } from '../../src/report/incident-text.ts';
import { summaryMarkdown } from '../../src/report/summary-text.ts';
import { warningsComment, warningsResultLine } from '../../src/report/warnings-text.ts';
import { readSettings, type InputName } from '../../src/settings.ts';
import { fakeClock } from './fake-clock.ts';

const parse = (yaml: string) => parseChecks(yaml, { defaultTimeoutMs: 5_000, env: {} });
const WINDOW_START = Date.UTC(2026, 11, 2, 9, 0, 0);
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';

const sample = (check: string, outcome: Sample['outcome'], at: number, extra: Partial<Sample> = {}): Sample => ({ check, outcome, at, latencyMs: 5, detail: `${check} ${outcome}`, ...extra });
const warn = (outcome: Sample['outcome'], at: number, detail = `p95 ${outcome}`): Sample => sample('p95', outcome, at, { warnOnly: true, detail });
const round = (index: number, samples: Sample[]): Round => ({ index, at: index * 1_000, outcome: roundOutcome(samples), samples });

describe('the on-failure field of a check', () => {
  it('is read on every check type; roll-back (the default) leaves it out', () => {
    const result = parse(`
- type: http
  url: https://shop.example.com/health
- type: tcp
  host: db
  port: 5432
  on-failure: warn
- type: command
  run: ./latency.sh
  on-failure: warn
- type: prometheus
  url: http://prometheus:9090
  query: p95
  max: 0.5
  on-failure: roll-back
`);
    expect(result.ok && result.checks.map((c) => [c.type, c.onFailure])).toEqual([
      ['http', undefined],
      ['tcp', 'warn'],
      ['command', 'warn'],
      ['prometheus', undefined],
    ]);
  });

  it('names the check and the field when the value is not roll-back or warn', () => {
    const result = parse(`- type: http\n  url: https://e.com\n- type: tcp\n  host: db\n  port: 1\n  on-failure: ignore\n`);
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(/^checks\[1\]\.on-failure: .*"roll-back".*"warn"/)]);
  });
});

describe('settings with warn-only checks', () => {
  const base: Partial<Record<InputName, string>> = { 'github-token': 'ghs_x', 'deploy-command': './deploy.sh' };
  const errorsOf = async (inputs: Partial<Record<InputName, string>>) => {
    const result = await readSettings((name) => inputs[name] ?? '');
    return result.ok ? [] : result.errors;
  };
  const allWarn = '- type: tcp\n  host: db\n  port: 5432\n  on-failure: warn\n- type: command\n  run: ./p95.sh\n  on-failure: warn\n';

  it('refuses a deploy whose every check only warns: nothing could roll it back', async () => {
    expect(await errorsOf({ ...base, checks: allWarn })).toEqual([expect.stringMatching(/^Input "checks": every check is on-failure: warn, .*keep at least one check that rolls back/)]);
    expect(await errorsOf({ ...base, mode: 'rollback', reason: 'x', checks: allWarn })).toHaveLength(1);
  });

  it('accepts them beside health-url or another check that rolls back, and in modes that watch nothing', async () => {
    expect(await errorsOf({ ...base, checks: allWarn, 'health-url': 'http://127.0.0.1:8080/health' })).toEqual([]);
    expect(await errorsOf({ ...base, checks: `${allWarn}- type: tcp\n  host: web\n  port: 80\n` })).toEqual([]);
    expect(await errorsOf({ ...base, mode: 'status', checks: allWarn })).toEqual([]);
  });
});

describe('the verdict', () => {
  it('ignores a warn-only check that fails or cannot measure: the round passes', () => {
    expect(roundOutcome([sample('web', 'pass', 0), warn('fail', 0)])).toBe('pass');
    expect(roundOutcome([sample('web', 'pass', 0), warn('inconclusive', 0)])).toBe('pass');
    expect(roundOutcome([sample('web', 'fail', 0), warn('pass', 0)])).toBe('fail');
    expect(roundOutcome([sample('web', 'inconclusive', 0), warn('pass', 0)])).toBe('inconclusive');
  });

  it('stays healthy through a warn-only check failing every round, and past failure-threshold and max-failed-rounds', () => {
    const tracker = createVerdictTracker({ windowMs: 4_000, failureThreshold: 2, maxFailedRounds: 0 });
    const verdicts = [0, 1, 2, 3, 4].map((i) => tracker.record(round(i, [sample('web', 'pass', i * 1_000), warn('fail', i * 1_000)])).kind);
    expect(verdicts).toEqual(['watching', 'watching', 'watching', 'watching', 'healthy']);
  });

  it('does not count a warn-only pass as the one check that passed in the window', () => {
    const tracker = createVerdictTracker({ windowMs: 1_000, failureThreshold: 3 });
    tracker.record(round(0, [sample('web', 'inconclusive', 0), warn('pass', 0)]));
    expect(tracker.record(round(1, [sample('web', 'inconclusive', 1_000), warn('pass', 1_000)]))).toMatchObject({ kind: 'unhealthy', reason: expect.stringMatching(/no health check passed/) });
  });

  it('in the window, marks the samples of warn-only checks and rolls nothing back for them', async () => {
    const clock = fakeClock();
    const checks: Check[] = [
      { type: 'tcp', name: 'web', host: 'h', port: 1, timeoutMs: 100 },
      { type: 'command', name: 'p95', run: 'x', timeoutMs: 100, onFailure: 'warn' },
    ];
    const probe: Probe = async (check) => ({ check: check.name, outcome: check.name === 'p95' ? 'fail' : 'pass', latencyMs: 1, detail: 'd' });
    const lines: string[] = [];
    const log: Log = { info: (m) => void lines.push(m), warning: () => {}, error: () => {}, group: (_t, body) => body() };
    const failedRounds: Round[] = [];
    const watched = await watchHealth({ checks, policy: { windowMs: 3_000, intervalMs: 1_000, failureThreshold: 1 }, clock, log, probe, onFailedRound: (r) => void failedRounds.push(r) });
    expect(watched.verdict.kind).toBe('healthy');
    expect(watched.rounds.map((r) => r.samples.map((s) => s.warnOnly ?? false))).toEqual(Array(4).fill([false, true]));
    expect(failedRounds).toEqual([]);
    expect(lines[0]).toMatch(/^round 1 at \+0ms: PASS \| web: d, 1ms \| p95 \(warn only\): d, 1ms$/);
  });
});

describe('the warnings', () => {
  const rounds = [
    round(0, [sample('web', 'pass', 10), warn('pass', 20), sample('queue', 'pass', 30, { warnOnly: true })]),
    round(1, [sample('web', 'fail', 1_010), warn('fail', 1_020, 'p95 0.9s above 0.5s'), sample('queue', 'pass', 1_030, { warnOnly: true })]),
    round(2, [sample('web', 'pass', 2_010), warn('inconclusive', 2_020), sample('queue', 'pass', 2_030, { warnOnly: true })]),
    round(3, [sample('web', 'pass', 3_010), warn('fail', 3_020, 'p95 1.2s above 0.5s'), sample('queue', 'pass', 3_030, { warnOnly: true })]),
  ];

  it('name each warn-only check that failed: rounds, first and last time, last detail; not a normal check, not one that never failed', () => {
    expect(checkWarnings(rounds, WINDOW_START)).toEqual([
      { check: 'p95', failedRounds: 2, rounds: 4, firstFailedAt: WINDOW_START + 1_020, lastFailedAt: WINDOW_START + 3_020, lastDetail: 'p95 1.2s above 0.5s' },
    ]);
    expect(checkWarnings(rounds.slice(0, 1), WINDOW_START)).toEqual([]);
  });

  it('are a JSON output with ISO times, [] when none failed, and absent outside deploy mode', () => {
    const warnings = checkWarnings(rounds, WINDOW_START);
    const deployed = { kind: 'deployed' as const, sha: SHA, deploymentId: 7, rounds, promoted: true };
    expect(JSON.parse(stepResult(deployed, SHA, warnings).outputs.warnings!)).toEqual([
      { check: 'p95', failedRounds: 2, rounds: 4, firstFailedAt: '2026-12-02T09:00:01.020Z', lastFailedAt: '2026-12-02T09:00:03.020Z', lastDetail: 'p95 1.2s above 0.5s' },
    ]);
    expect(stepResult(deployed, SHA, []).outputs.warnings).toBe('[]');
    expect(stepResult({ kind: 'clear' }, undefined).outputs.warnings).toBeUndefined();
  });

  it('have a section in the job summary; a summary without warnings has none', () => {
    const deployed = { kind: 'deployed' as const, sha: SHA, deploymentId: 7, rounds, promoted: true };
    const summary = summaryMarkdown(deployed, 'production', undefined, checkWarnings(rounds, WINDOW_START));
    expect(summary).toContain('### Warnings');
    expect(summary).toContain('| `p95` | 2 of 4 | 2026-12-02 09:00:01.020 UTC | 2026-12-02 09:00:03.020 UTC | p95 1.2s above 0.5s |');
    expect(summary).toContain('**fail** (warn only)');
    expect(summaryMarkdown(deployed, 'production', undefined, [])).not.toContain('Warnings');
  });

  it('have a section in the incident, apart from the checks that failed the deploy', () => {
    const failure: Failure = { kind: 'unhealthy', reason: '1 consecutive health rounds failed', rounds };
    const facts: IncidentFacts = {
      environment: 'production',
      failedSha: SHA,
      deploymentId: 7,
      failure,
      links: { repoUrl: 'https://github.com/acme/shop', runUrl: 'https://github.com/acme/shop/actions/runs/1' },
      timeline: { start: WINDOW_START - 5_000, windowStart: WINDOW_START, verdict: WINDOW_START + 3_100 },
      warnings: checkWarnings(rounds, WINDOW_START),
      rollback: { sha: 'a'.repeat(40) },
    };
    const body = incidentText(facts).body;
    const warnings = body.slice(body.indexOf('### Warnings'));
    expect(warnings).toMatch(/^### Warnings\n\nA warn-only check \(`on-failure: warn`\) failed\. Its failures did not count toward the verdict and started no rollback\./);
    expect(warnings).toContain('| `p95` | 2 of 4 |');
    // The failing checks' detail is about what failed the deploy: the warn-only check is not among them.
    expect(body.slice(0, body.indexOf('### Warnings'))).toContain('### Check `web`');
    expect(body).not.toContain('### Check `p95`');
    expect(incidentText({ ...facts, warnings: [] }).body).not.toContain('Warnings');
  });

  it('are listed 20 at most, the rest counted', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ check: `c${i}`, failedRounds: 1, rounds: 1, firstFailedAt: WINDOW_START, lastFailedAt: WINDOW_START, lastDetail: 'x' }));
    const summary = summaryMarkdown({ kind: 'deployed', sha: SHA, deploymentId: 7, rounds: [], promoted: true }, 'production', undefined, many);
    expect(summary).toContain('23 warn-only checks (`on-failure: warn`) failed. Their failures did not count');
    expect(summary.match(/^\| `c\d+` \|/gm)).toHaveLength(20);
    expect(summary).toContain('And 3 more; see the run log.');
  });

  it('make the comment on the deployed commit: the version, the deployment, the run and what came of it', () => {
    const body = warningsComment({
      environment: 'production',
      sha: SHA,
      deploymentId: 7,
      result: warningsResultLine('rolled-back', SHA, { number: 3, url: 'https://github.com/acme/shop/issues/3' }),
      repoUrl: 'https://github.com/acme/shop',
      runUrl: 'https://github.com/acme/shop/actions/runs/1',
      warnings: checkWarnings(rounds, WINDOW_START),
    });
    expect(body).toContain(`warnings from the deploy of [\`c0ffee0\`](https://github.com/acme/shop/commit/${SHA}) to production`);
    expect(body).toContain('[deployment 7](https://github.com/acme/shop/deployments/production)');
    expect(body).toContain('failed other checks and was rolled back. Incident: [#3](https://github.com/acme/shop/issues/3).');
    expect(body).toContain('| `p95` | 2 of 4 |');
  });
});
