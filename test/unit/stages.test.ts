// Staged rollout's pure parts: what each stage is called and told, the deployment's end, and how the
// incident and the summary show the stages.
import { describe, expect, it } from 'vitest';
import { promotedInStages } from '../../src/core/deployment-end.ts';
import { describeFailure, type Failure, type Outcome } from '../../src/core/outcome.ts';
import { everyCheck, failedStageEnv, stageEnv, stageProgress, type Stage } from '../../src/core/stages.ts';
import type { StageMoments, Timeline } from '../../src/core/timeline.ts';
import type { Check } from '../../src/health/check-types.ts';
import { incidentText, type IncidentFacts } from '../../src/report/incident-text.ts';
import { deployEvents } from '../../src/report/report-sections.ts';
import { stagesTable } from '../../src/report/stage-sections.ts';
import { summaryMarkdown } from '../../src/report/summary-text.ts';

const tcp = (name: string, port = 5432): Check => ({ type: 'tcp', name, host: 'db', port, timeoutMs: 1_000 });
const STAGES: Stage[] = [
  { name: 'canary', command: './deploy.sh canary', windowMs: 300_000, checks: [tcp('canary')] },
  { name: 'all hosts', command: './deploy.sh all', windowMs: 600_000, checks: [tcp('web')] },
];
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const FAILED = 'b3c1d2e4f5a6978812345678901234567890abcd';
const GOOD = 'a1f2e3d4c5b6a7980123456789abcdef01234567';
const unhealthy: Failure = { kind: 'unhealthy', reason: '3 consecutive health rounds failed (failure-threshold is 3)', rounds: [], stage: { name: 'all hosts', number: 2, count: 2 } };

/** Stage 1 healthy for its 5 minutes; stage 2 failed 2 minutes into its window. */
const moments: StageMoments[] = [
  { name: 'canary', windowMs: 300_000, result: 'healthy', start: T0, commandEnd: T0 + 10_000, windowStart: T0 + 10_000, verdict: T0 + 310_000 },
  { name: 'all hosts', windowMs: 600_000, result: 'failed', start: T0 + 311_000, commandEnd: T0 + 330_000, windowStart: T0 + 330_000, firstFailure: T0 + 400_000, verdict: T0 + 450_000 },
];
const timeline: Timeline = { start: T0, commandEnd: T0 + 330_000, windowStart: T0 + 330_000, firstFailure: T0 + 400_000, verdict: T0 + 450_000, stages: moments };

describe('stages', () => {
  it('names each stage in its status, and tells its command and the rollback which stage', () => {
    expect(stageProgress(STAGES, 0)).toBe('stage 1/2 canary: deploying, then watching 5m');
    expect(stageProgress(STAGES, 1)).toBe('stage 2/2 all hosts: deploying, then watching 10m');
    expect(stageEnv({ name: 'all hosts', number: 2, count: 2 })).toEqual({ DEPLOY_GUARD_STAGE: 'all hosts', DEPLOY_GUARD_STAGE_NUMBER: '2', DEPLOY_GUARD_STAGE_COUNT: '2' });
    expect(failedStageEnv(unhealthy)).toEqual({ DEPLOY_GUARD_FAILED_STAGE: 'all hosts', DEPLOY_GUARD_FAILED_STAGE_NUMBER: '2' });
    expect(failedStageEnv({ ...unhealthy, stage: undefined })).toEqual({});
  });

  it('names the failed stage wherever the failure is described, and only then', () => {
    expect(describeFailure(unhealthy)).toBe('stage 2/2 all hosts: unhealthy: 3 consecutive health rounds failed (failure-threshold is 3)');
    expect(describeFailure({ ...unhealthy, stage: undefined })).toBe('unhealthy: 3 consecutive health rounds failed (failure-threshold is 3)');
    expect(promotedInStages(STAGES)).toEqual({ state: 'success', description: 'Healthy through 2 stages (15m); now known-good' });
  });

  it('measures each check once: the top-level ones and every stage own, by name', () => {
    const top = [tcp('web', 80)];
    expect(everyCheck(top, STAGES).map((c) => [c.name, c.type === 'tcp' && c.port])).toEqual([
      ['web', 80],
      ['canary', 5432],
    ]);
    expect(everyCheck(top, undefined)).toEqual(top);
  });

  it('puts each stage in the timeline, the failed one with why, and the rollback after it', () => {
    const events = deployEvents(timeline, { sha: FAILED, failure: unhealthy, rollback: { sha: GOOD, timeline: { start: T0 + 451_000, commandEnd: T0 + 460_000, windowStart: T0 + 460_000, verdict: T0 + 760_000 } } });
    expect(events.filter((e) => e.at !== undefined).map((e) => [e.at! - T0, e.what])).toEqual([
      [0, 'Deploy of `b3c1d2e` started, in 2 stages'],
      [0, 'Stage 1/2 `canary` started'],
      [10_000, 'Stage 1/2 `canary`: command finished'],
      [10_000, 'Stage 1/2 `canary`: health window of 5m started'],
      [310_000, 'Stage 1/2 `canary`: **healthy** for its 5m window'],
      [311_000, 'Stage 2/2 `all hosts` started'],
      [330_000, 'Stage 2/2 `all hosts`: command finished'],
      [330_000, 'Stage 2/2 `all hosts`: health window of 10m started'],
      [400_000, 'Stage 2/2 `all hosts`: first failed health round'],
      [450_000, 'Stage 2/2 `all hosts`: **failed**: unhealthy: 3 consecutive health rounds failed (failure-threshold is 3)'],
      [451_000, 'Rollback to `a1f2e3d` started'],
      [460_000, 'Rollback command finished'],
      [460_000, 'Rollback health window started'],
      [760_000, '**Rollback healthy:** it stayed healthy for its health window'],
    ]);
  });

  it('shows a failed command once, as the stage verdict, and the stages after it as not reached', () => {
    const commandFailed: Failure = { kind: 'command-failed', exitCode: 3, signal: null, timedOut: false, timeoutMs: 60_000, stage: { name: 'canary', number: 1, count: 2 } };
    const first: StageMoments[] = [
      { name: 'canary', windowMs: 300_000, result: 'failed', start: T0, commandEnd: T0 + 5_000, verdict: T0 + 5_000 },
      { name: 'all hosts', windowMs: 600_000, result: 'not-reached' },
    ];
    const events = deployEvents({ start: T0, commandEnd: T0 + 5_000, verdict: T0 + 5_000, stages: first }, { sha: FAILED, failure: commandFailed });
    expect(events.filter((e) => e.at !== undefined).map((e) => e.what)).toEqual([
      'Deploy of `b3c1d2e` started, in 2 stages',
      'Stage 1/2 `canary` started',
      'Stage 1/2 `canary`: command failed: the command exited with code 3',
    ]);
    expect(stagesTable(first, commandFailed)).toEqual([
      '| Stage | Window | Started (UTC) | Verdict (UTC) | Result |',
      '| --- | --- | --- | --- | --- |',
      '| 1/2 `canary` | 5m | 2026-12-02 09:00:00.000 UTC | 2026-12-02 09:00:05.000 UTC | **failed**: the command exited with code 3 |',
      '| 2/2 `all hosts` | 10m |  |  | not reached |',
    ]);
  });

  it('gives the incident a table of the stages and names the failed stage in its headline', () => {
    const facts: IncidentFacts = {
      environment: 'production',
      failedSha: FAILED,
      deploymentId: 42,
      failure: unhealthy,
      links: { repoUrl: 'https://github.com/acme/shop', runUrl: 'https://github.com/acme/shop/actions/runs/7/attempts/1' },
      timeline,
      rollback: { sha: GOOD, deploymentId: 43 },
    };
    const { body } = incidentText(facts);
    expect(body).toContain('(deployment 42) — stage 2/2 all hosts: unhealthy: 3 consecutive health rounds failed');
    expect(body).toContain(
      [
        '## Stages',
        '',
        '| Stage | Window | Started (UTC) | Verdict (UTC) | Result |',
        '| --- | --- | --- | --- | --- |',
        '| 1/2 `canary` | 5m | 2026-12-02 09:00:00.000 UTC | 2026-12-02 09:05:10.000 UTC | healthy for 5m |',
        '| 2/2 `all hosts` | 10m | 2026-12-02 09:05:11.000 UTC | 2026-12-02 09:07:30.000 UTC | **failed**: unhealthy: 3 consecutive health rounds failed (failure-threshold is 3) |',
      ].join('\n'),
    );
    expect(incidentText({ ...facts, failure: { ...unhealthy, stage: undefined }, timeline: { ...timeline, stages: undefined } }).body).not.toContain('Stage');
  });

  it('shows a healthy staged deploy stage by stage in the job summary', () => {
    const healthy = moments.map((m) => ({ ...m, result: 'healthy' as const, firstFailure: undefined }));
    const outcome: Outcome = { kind: 'deployed', sha: FAILED, deploymentId: 42, rounds: [], promoted: true, stages: healthy };
    const summary = summaryMarkdown(outcome, 'production');
    expect(summary).toContain('### Stages');
    expect(summary).toContain('| 2/2 `all hosts` | 10m | 2026-12-02 09:05:11.000 UTC | 2026-12-02 09:07:30.000 UTC | healthy for 10m |');
    const { stages: _stages, ...unstaged } = outcome;
    expect(summaryMarkdown(unstaged, 'production')).not.toContain('Stages');
  });
});
