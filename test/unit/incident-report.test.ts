import { describe, expect, it } from 'vitest';
import { incidentMarker } from '../../src/core/gate-decision.ts';
import { healthChart, renderHealthChart } from '../../src/report/health-chart.ts';
import {
  incidentText,
  manualRollbackText,
  MAX_BODY_CHARS,
  postmortemAnchor,
  postmortemGaps,
  REQUIRED_POSTMORTEM_SECTIONS,
  type IncidentFacts,
} from '../../src/report/incident-text.ts';
import type { Failure, Outcome } from '../../src/core/outcome.ts';
import { summaryMarkdown } from '../../src/report/summary-text.ts';
import type { Round, Sample } from '../../src/core/verdict.ts';

// A seeded bad deploy: 8 rounds 10 s apart; the web check answers 503 from round 6 on, and the
// error rate is over 3x its baseline in rounds 7 and 8; three failed rounds in a row end it.
const FAILED = 'b3c1d2e4f5a6978812345678901234567890abcd';
const GOOD = 'a1f2e3d4c5b6a7980123456789abcdef01234567';
const DEPLOY_START = Date.UTC(2026, 10, 23, 14, 2, 0, 0);
const COMMAND_END = DEPLOY_START + 31_250;
const WINDOW_START = COMMAND_END + 5_000;
const links = { repoUrl: 'https://github.com/acme/shop', runUrl: 'https://github.com/acme/shop/actions/runs/7311/attempts/1' };
const EXCERPT = '<html><head><title>503 Service Unavailable</title></head><body>upstream connect error | reset before headers</body></html>';

function webSample(round: number, at: number): Sample {
  const failing = round >= 5;
  return failing
    ? { check: 'web', outcome: 'fail', at: at + 4, latencyMs: 12 + round, value: '503', detail: 'status 503, expected 200-399', excerpt: EXCERPT }
    : { check: 'web', outcome: 'pass', at: at + 4, latencyMs: 40 + round * 3, value: '200', detail: 'status 200' };
}

function errorRateSample(round: number, at: number): Sample {
  const failing = round >= 6;
  const value = failing ? (0.0734 + round / 1000).toFixed(4) : (0.011 + round / 1000).toFixed(3);
  return failing
    ? { check: 'error-rate', outcome: 'fail', at: at + 7, latencyMs: 85 + round, value, detail: `${value} is ${(Number(value) / 0.01).toFixed(2)}x the baseline 0.01 (max 3x)` }
    : { check: 'error-rate', outcome: 'pass', at: at + 7, latencyMs: 70 + round * 2, value, detail: `${value} within bounds (${(Number(value) / 0.01).toFixed(2)}x baseline 0.01)` };
}

function seededRounds(count = 8): Round[] {
  return Array.from({ length: count }, (_, i) => {
    const at = i * 10_000;
    const samples = [webSample(i, at), errorRateSample(i, at)];
    return { index: i, at, outcome: samples.some((s) => s.outcome === 'fail') ? 'fail' : 'pass', samples };
  });
}

const rounds = seededRounds();
const unhealthy: Failure = { kind: 'unhealthy', reason: '3 consecutive health rounds failed (failure-threshold is 3)', rounds };
const VERDICT = WINDOW_START + 70_000 + 120;
const ROLLBACK_START = VERDICT + 40;
const ROLLBACK_COMMAND_END = ROLLBACK_START + 20_500;
const ROLLBACK_WINDOW_START = ROLLBACK_COMMAND_END + 5_000;
const rollbackRounds: Round[] = Array.from({ length: 4 }, (_, i) => ({
  index: i,
  at: i * 10_000,
  outcome: 'pass',
  samples: [
    { check: 'web', outcome: 'pass', at: i * 10_000 + 3, latencyMs: 38 + i, value: '200', detail: 'status 200' },
    { check: 'error-rate', outcome: 'pass', at: i * 10_000 + 6, latencyMs: 72 + i, value: '0.009', detail: '0.009 within bounds (0.9x baseline 0.01)' },
  ],
}));

const rolledBack: IncidentFacts = {
  environment: 'production',
  failedSha: FAILED,
  deploymentId: 4812,
  failure: unhealthy,
  links,
  timeline: {
    start: DEPLOY_START,
    commandEnd: COMMAND_END,
    windowStart: WINDOW_START,
    firstFailure: WINDOW_START + 50_000,
    verdict: VERDICT,
  },
  commits: {
    total: 3,
    shown: [
      { sha: 'c0ffee0123456789abcdef0123456789abcdef01', title: 'Switch checkout to the new payments client (#412)', author: 'Dana Lee' },
      { sha: 'deadbeef0123456789abcdef0123456789abcdef', title: 'Bump pg-pool from 3.6.1 to 3.7.0', author: 'dependabot[bot]' },
      { sha: FAILED, title: 'Tune retries | drop the old flag, thanks @sam', author: 'Sam Ortiz' },
    ],
    compareUrl: `https://github.com/acme/shop/compare/${GOOD}...${FAILED}`,
  },
  rollback: {
    sha: GOOD,
    deploymentId: 4813,
    rounds: rollbackRounds,
    timeline: { start: ROLLBACK_START, commandEnd: ROLLBACK_COMMAND_END, windowStart: ROLLBACK_WINDOW_START, verdict: ROLLBACK_WINDOW_START + 30_000 + 90 },
  },
};

const rollbackFailed: IncidentFacts = {
  ...rolledBack,
  rollback: {
    sha: GOOD,
    deploymentId: 4813,
    failure: { kind: 'command-failed', exitCode: null, signal: 'SIGKILL', timedOut: true, timeoutMs: 600_000 },
    timeline: { start: ROLLBACK_START, commandEnd: ROLLBACK_START + 600_000, verdict: ROLLBACK_START + 600_000 },
  },
};

const noRollbackTarget: IncidentFacts = {
  environment: 'production',
  failedSha: FAILED,
  deploymentId: 4812,
  failure: unhealthy,
  links,
  timeline: { start: DEPLOY_START, commandEnd: COMMAND_END, windowStart: WINDOW_START, firstFailure: WINDOW_START + 50_000, verdict: VERDICT },
};

describe('the incident report', () => {
  it('reads as a whole for a rollback that worked', async () => {
    const text = incidentText(rolledBack);
    expect(text.title).toBe('Deploy of b3c1d2e to production failed; rolled back to a1f2e3d');
    await expect(`# ${text.title}\n\n${text.body}\n`).toMatchFileSnapshot('./__snapshots__/incident-rolled-back.md');
  });

  it('reads as a whole for a rollback that failed', async () => {
    const text = incidentText(rollbackFailed);
    expect(text.title).toBe('Deploy of b3c1d2e to production failed and the rollback to a1f2e3d failed too');
    expect(text.body).toContain('**Rollback failed: production needs a person now.**');
    await expect(`# ${text.title}\n\n${text.body}\n`).toMatchFileSnapshot('./__snapshots__/incident-rollback-failed.md');
  });

  it('reads as a whole when there was nothing to roll back to', async () => {
    const text = incidentText(noRollbackTarget);
    expect(text.body).toContain('**Nothing to roll back to: production may be serving the failed version**');
    expect(text.body).not.toContain('## Commits');
    expect(text.body).not.toContain('## Rollback');
    await expect(`# ${text.title}\n\n${text.body}\n`).toMatchFileSnapshot('./__snapshots__/incident-no-rollback-target.md');
  });

  it('starts with the marker the gate finds it by, and ends with the postmortem and how to unblock', () => {
    for (const facts of [rolledBack, rollbackFailed, noRollbackTarget]) {
      const { body } = incidentText(facts);
      expect(body.split('\n')[0]).toBe(incidentMarker('production'));
      expect(body).toMatch(/## Postmortem\n\n### Impact\n\n<!-- .+ -->\n\n### Root cause\n\n<!-- .+ -->\n\n### Corrective actions\n\n<!-- .+ -->\n/);
      expect(body.endsWith('Close this issue to unblock deploys to production.')).toBe(true);
      expect(postmortemGaps(body)).toEqual(['Root cause', 'Corrective actions']);
    }
  });

  it('dates every sample in UTC from the window start, and the timeline from the deploy start', () => {
    const { body } = incidentText(rolledBack);
    expect(body).toContain('| 2026-11-23 14:02:00.000 UTC | +0s | Deploy of `b3c1d2e` started |');
    expect(body).toContain('| 2026-11-23 14:02:31.250 UTC | +31.25s | Deploy command finished |');
    // Round 8 of web: window start + 70 s + 4 ms.
    expect(body).toContain('| 8 | 2026-11-23 14:03:46.254 UTC | **fail** | 503 | 19ms | status 503, expected 200-399 |');
    expect(body).toContain('`<html><head><title>503 Service Unavailable</title></head><body>upstream connect error \\| reset before headers</body></html>`');
  });

  it('says the list of commits could not be read when it could not, and links all of them when there are more', () => {
    expect(incidentText({ ...rolledBack, commits: undefined }).body).toContain(
      `The list of commits from [\`a1f2e3d\`](https://github.com/acme/shop/commit/${GOOD}) to [\`b3c1d2e\`](https://github.com/acme/shop/commit/${FAILED}) could not be read`,
    );
    const many = { ...rolledBack.commits!, total: 45 };
    const body = incidentText({ ...rolledBack, commits: many }).body;
    expect(body).toContain('45 commits from the known-good');
    expect(body).toContain(`[All 45 commits](${many.compareUrl})`);
  });

  it('stays under the size limit with a 1 MB command output and 5,000 rounds, saying what was cut', () => {
    const huge = `${'x'.repeat(1_000_000)}\nFATAL: migration 0042 failed`;
    const many: Round[] = Array.from({ length: 5_000 }, (_, i) => ({
      index: i,
      at: i * 10_000,
      outcome: 'fail',
      samples: [
        { check: 'smoke', outcome: 'fail', at: i * 10_000, latencyMs: 900 + (i % 50), value: '1', detail: `exit 1: ${huge}`, output: huge },
        { check: 'web', outcome: 'fail', at: i * 10_000 + 1, latencyMs: 30, value: '503', detail: 'status 503', excerpt: huge },
      ],
    }));
    const failure: Failure = { kind: 'unhealthy', reason: '5000 health rounds failed in the window (max-failed-rounds is 4999)', rounds: many };
    const { body } = incidentText({ ...rolledBack, failure, rollback: { sha: GOOD, failure, rounds: many } });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body.split('\n')[0]).toBe(incidentMarker('production'));
    expect(body).toContain('FATAL: migration 0042 failed');
    expect(body).toContain(`… cut; see the run log: ${links.runUrl}`);
    expect(body).toContain('Only the last 60 of the 5000 rounds are charted.');
    expect(postmortemGaps(body)).toEqual(['Root cause', 'Corrective actions']);
  });

  it('drops the detail step by step, never the postmortem, when hundreds of checks fail at length', () => {
    const huge = 'y'.repeat(1_000_000);
    const many: Round[] = Array.from({ length: 200 }, (_, i) => ({
      index: i,
      at: i * 1_000,
      outcome: 'fail',
      samples: Array.from({ length: 300 }, (_, c) => ({ check: `check-${c}-${'n'.repeat(200)}`, outcome: 'fail' as const, at: i * 1_000, latencyMs: c, detail: huge, output: huge })),
    }));
    const failure: Failure = { kind: 'unhealthy', reason: huge, rounds: many };
    const { body } = incidentText({ ...rolledBack, failure, rollback: { sha: GOOD, failure, rounds: many } });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body).not.toContain('```mermaid');
    expect(body).toContain(`The health chart … cut; see the run log: ${links.runUrl}`);
    expect(body).toContain(`Earlier samples … cut; see the run log: ${links.runUrl}`);
    expect(body).toContain(`Their samples … cut; see the run log: ${links.runUrl}`);
    expect(body.endsWith('Close this issue to unblock deploys to production.')).toBe(true);
    expect(postmortemGaps(body)).toEqual(['Root cause', 'Corrective actions']);
  });

  it('names a check that could only not be measured, and one that passed throughout', () => {
    const blind: Round[] = Array.from({ length: 3 }, (_, i) => ({
      index: i,
      at: i * 5_000,
      outcome: 'inconclusive',
      samples: [
        { check: 'db', outcome: 'inconclusive', at: i * 5_000, latencyMs: 5_000, detail: 'connect ETIMEDOUT 10.0.0.5:5432' },
        { check: 'web', outcome: 'pass', at: i * 5_000, latencyMs: 20, value: '200', detail: 'status 200' },
      ],
    }));
    const failure: Failure = { kind: 'unhealthy', reason: '3 consecutive health rounds could not be measured (inconclusive-threshold is 3)', rounds: blind };
    const { body } = incidentText({ ...noRollbackTarget, failure });
    expect(body).toContain('### Check `db`\n\nCould not be measured in 3 of 3 rounds. Its last 3 samples of 3:');
    expect(body).toContain('| 3 | 2026-11-23 14:02:46.250 UTC | inconclusive |  | 5000ms | connect ETIMEDOUT 10.0.0.5:5432 |');
    expect(body).toContain('Passed in every round: `web`.');
  });

  it('keeps a manual rollback under the limit too, with the same postmortem', () => {
    const huge = 'z'.repeat(1_000_000);
    const text = manualRollbackText({
      environment: 'production',
      sha: GOOD,
      deploymentId: 9,
      actor: 'octocat',
      reason: huge,
      runUrl: links.runUrl,
      failure: { kind: 'unhealthy', reason: 'r', rounds: seededRounds(5_000).map((r) => ({ ...r, samples: r.samples.map((s) => ({ ...s, output: huge })) })) },
    });
    expect(text.title).toBe('Manual rollback of production to a1f2e3d by @octocat failed');
    expect(text.body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(text.body).toContain('Reason: zzz');
    expect(postmortemGaps(text.body)).toEqual(['Root cause', 'Corrective actions']);
  });
});

describe('the health chart', () => {
  it("holds each check's latency per round, and which rounds failed", () => {
    const chart = healthChart(rounds);
    expect(chart.xLabels).toEqual(['+0s', '+10s', '+20s', '+30s', '+40s', '+50s', '+60s', '+70s']);
    expect(chart.series.map((s) => s.check)).toEqual(['web', 'error-rate']);
    for (const series of chart.series) {
      expect(series.values).toEqual(rounds.map((r) => r.samples.find((s) => s.check === series.check)!.latencyMs));
    }
    expect(chart.failed).toEqual(rounds.map((r) => r.outcome === 'fail'));
    expect(chart.failed).toEqual([false, false, false, false, false, true, true, true]);
  });

  it('charts only the last 60 rounds of a long window, and says so', () => {
    const long = seededRounds(5_000);
    const chart = healthChart(long);
    expect(chart.xLabels).toHaveLength(60);
    expect(chart.xLabels[0]).toBe('+49400s');
    expect(chart.series[0]!.values).toEqual(long.slice(-60).map((r) => r.samples[0]!.latencyMs));
    expect(renderHealthChart(chart, 't').join('\n')).toContain('Only the last 60 of the 5000 rounds are charted.');
  });

  it('is valid xychart-beta: a title, a category x axis, a y axis from 0, a failed-round bar and a line per check', () => {
    const text = renderHealthChart(healthChart(rounds), 'Health of "b3c1d2e" %% on production').join('\n');
    expect(text).toMatch(/^```mermaid\n%%\{init: \{"themeVariables": \{"xyChart": \{"plotColorPalette": "#[0-9a-f]{6}(, #[0-9a-f]{6})*"\}\}\}\}%%\nxychart-beta\n/);
    expect(text).toContain('  title "Health of \'b3c1d2e\' % on production"');
    expect(text).toContain('  x-axis "Time since the health window started" ["+0s", "+10s", "+20s", "+30s", "+40s", "+50s", "+60s", "+70s"]');
    expect(text).toContain('  y-axis "Latency (ms)" 0 --> 100');
    expect(text).toContain('  bar "failed round" [0, 0, 0, 0, 0, 100, 100, 100]');
    expect(text).toContain('  line "web" [40, 43, 46, 49, 52, 17, 18, 19]');
    expect(text).toContain('  line "error-rate" [70, 72, 74, 76, 78, 80, 91, 92]');
  });

  it('is left out when there are no rounds', () => {
    expect(renderHealthChart(healthChart([]), 't')).toEqual([]);
    const commandFailed: Failure = { kind: 'command-failed', exitCode: 1, signal: null, timedOut: false, timeoutMs: 60_000 };
    const { body } = incidentText({ ...noRollbackTarget, failure: commandFailed });
    expect(body).not.toContain('```mermaid');
    expect(body).toContain('The deploy command exited with code 1, so no health check ran.');
  });
});

describe('postmortem gaps', () => {
  const template = incidentText(rolledBack).body;
  const fill = (body: string, section: string, text: string) => body.replace(new RegExp(`(### ${section}\\n\\n<!-- .+ -->)`), `$1\n${text}`);

  it('are both required sections in the template', () => {
    expect(postmortemGaps(template)).toEqual(['Root cause', 'Corrective actions']);
  });

  it('are none once both are written', () => {
    const filled = fill(fill(template, 'Root cause', 'The new payments client has a 1 s timeout.'), 'Corrective actions', '- #415 raise the timeout');
    expect(postmortemGaps(filled)).toEqual([]);
  });

  it('are the one section left empty, comments and whitespace not counting', () => {
    const oneFilled = fill(template, 'Root cause', 'The new payments client has a 1 s timeout.');
    expect(postmortemGaps(oneFilled)).toEqual(['Corrective actions']);
    expect(postmortemGaps(fill(template, 'Corrective actions', '  <!-- later -->  \n\n'))).toEqual(['Root cause', 'Corrective actions']);
  });

  it('count a missing section, and ignore a heading inside a code block', () => {
    expect(postmortemGaps('no postmortem here')).toEqual(['Root cause', 'Corrective actions']);
    const fenced = '## Postmortem\n\n```\n### Root cause\nnot a heading\n```\n\n### Corrective actions\n\nRevert the client.\n';
    expect(postmortemGaps(fenced)).toEqual(['Root cause']);
    // CRLF from a browser edit, and headings written by hand.
    expect(postmortemGaps('## Root Cause:\r\nA typo.\r\n\r\nCorrective actions\r\n---\r\nFixed it.\r\n')).toEqual([]);
  });

  it('link to sections by the anchors GitHub gives their headings', () => {
    expect(REQUIRED_POSTMORTEM_SECTIONS.map(postmortemAnchor)).toEqual(['#root-cause', '#corrective-actions']);
  });
});

describe('the job summary', () => {
  const outcome: Outcome = {
    kind: 'rolled-back',
    sha: FAILED,
    deploymentId: 4812,
    failure: unhealthy,
    knownGoodSha: GOOD,
    rollbackDeploymentId: 4813,
    incident: { number: 57, url: 'https://github.com/acme/shop/issues/57' },
  };

  it('starts with the incident headline and has the last rounds, the failing checks and the chart', async () => {
    const summary = summaryMarkdown(outcome, 'production', rolledBack);
    expect(summary.startsWith('## deploy-guard: rolled-back\n\n**Rolled back and healthy.**')).toBe(true);
    await expect(summary).toMatchFileSnapshot('./__snapshots__/summary-rolled-back.md');
  });

  it('works from the outcome alone', () => {
    const summary = summaryMarkdown(outcome, 'production');
    expect(summary).toContain('- **Failed version:** `b3c1d2e` (deployment 4812) — unhealthy: 3 consecutive health rounds failed');
    expect(summary).toContain('| 8 | +70.0s | **fail** | **fail** 503, 19ms | **fail** 0.0804, 92ms |');
    expect(summary).toContain('```mermaid');
    expect(summary).not.toContain('### Timeline');
    const deployed = summaryMarkdown({ kind: 'deployed', sha: GOOD, deploymentId: 1, rounds: rollbackRounds, promoted: true }, 'production');
    expect(deployed).toMatch(/^## deploy-guard: deployed\n\nDeployed `a1f2e3d` to \*\*production\*\*/);
    expect(deployed).toContain('All 4 rounds:');
    expect(deployed).toContain('```mermaid');
  });
});
