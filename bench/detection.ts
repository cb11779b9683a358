// Goal 4: from the failure's onset to the rollback command's start.
import { ms, spread, summarize } from './stats.ts';
import { INTERVAL_MS, openDetectionWorld, THRESHOLD, type TrialResult } from './trial.ts';
import { judged, missed, type GoalResult, type Measurement } from './types.ts';

const LIMIT_MS = THRESHOLD * INTERVAL_MS;
const MEDIAN = {
  id: '4a',
  goal: 'Detection: failure onset to rollback start, median (interval 200ms, threshold 3, timeout 150ms)',
  target: `<= ${LIMIT_MS + 150} ms (${THRESHOLD} x ${INTERVAL_MS} ms + 150)`,
  unit: 'ms',
};
const WORST = { id: '4b', goal: 'Detection: failure onset to rollback start, max', target: "<= the plan's printed worst case", unit: 'ms' };

export const detection: Measurement = {
  name: 'detection',
  title: 'Failure onset to rollback',
  goals: [MEDIAN, WORST],
  method:
    `Deploys with \`health-interval: 200ms\`, \`failure-threshold: 3\`, \`request-timeout: 150ms\` and a 3 s window against an ` +
    'in-process health endpoint. Once the main step has logged its second passing round, the bench waits a random 0-200 ms ' +
    '(so the onset falls uniformly within the round cycle), makes the endpoint answer 503 and records `Date.now()`. The ' +
    'rollback command writes bash\'s `$EPOCHREALTIME` to a file as its first act (and repairs the endpoint). Detection is ' +
    "that time minus the onset. The worst case is parsed from the plan the main step prints. Each trial is a new deploy in " +
    'the same repository (the incident left by the previous one is closed first).',
  async run(ctx) {
    const trials = ctx.quick ? 3 : 10;
    const world = await openDetectionWorld(ctx.distDir);
    const results: TrialResult[] = [];
    const failures: string[] = [];
    try {
      for (let i = 0; i < trials; i += 1) {
        try {
          const r = await world.trial({ version: `d${i + 2}` });
          results.push(r);
          ctx.log(`detection: trial ${i + 1}/${trials}: ${ms(r.rollbackStart - r.onset)}`);
        } catch (error) {
          failures.push((error as Error).message);
          ctx.log(`detection: trial ${i + 1}/${trials} failed: ${(error as Error).message}`);
        }
      }
    } finally {
      await world.close();
    }
    if (results.length === 0) {
      const reason = failures[0] ?? 'no trial ran';
      return { goals: [missed(MEDIAN, reason), missed(WORST, reason)], data: { failures } };
    }
    const detect = summarize(results.map((r) => r.rollbackStart - r.onset));
    const verdicts = results.filter((r) => r.verdictLine).map((r) => r.verdictLine!.at - r.onset);
    const worstCases = [...new Set(results.map((r) => r.worstCaseMs).filter((w): w is number => w !== undefined))];
    const printed = worstCases.length ? Math.min(...worstCases) : undefined;
    const note = failures.length ? `${failures.length} of ${trials} trials failed: ${failures[0]}` : undefined;
    const complete = failures.length === 0;
    const goals: GoalResult[] = [
      judged(MEDIAN, Math.round(detect.median), complete && detect.median <= LIMIT_MS + 150, `${ms(detect.median)} median of ${detect.n}`, note),
      printed === undefined
        ? missed(WORST, 'the plan printed no worst case ("Worst case from a failure to the verdict that starts the rollback: ...")')
        : judged(WORST, Math.round(detect.max), complete && detect.max <= printed, `max ${ms(detect.max)} vs printed ${ms(printed)}`, note),
    ];
    const details = [
      `| from the onset to | time |`,
      `| --- | --- |`,
      `| the rollback command's start | ${spread(detect)} |`,
      ...(verdicts.length ? [`| the log line of the round that reached the threshold | ${spread(summarize(verdicts))} |`] : []),
      '',
      `Physical limit: ${THRESHOLD} failed rounds x ${INTERVAL_MS} ms = ${LIMIT_MS} ms after an onset just after a round; ` +
        `printed worst case: ${printed === undefined ? 'not found' : ms(printed)}.`,
      '',
      `| trial | onset after a passing round's line | onset to verdict line | onset to rollback start |`,
      `| ---: | ---: | ---: | ---: |`,
      ...results.map(
        (r, i) =>
          `| ${i + 1} | ${ms(r.onsetAfterPassMs)} | ${r.verdictLine ? ms(r.verdictLine.at - r.onset) : 'n/a'} | ${ms(r.rollbackStart - r.onset)} |`,
      ),
      ...failures.map((f) => `\nFailed trial: ${f}`),
    ].join('\n');
    return {
      goals,
      details,
      data: {
        trials: results.map((r) => ({
          onsetToRollbackMs: r.rollbackStart - r.onset,
          onsetToVerdictLineMs: r.verdictLine ? r.verdictLine.at - r.onset : null,
          onsetAfterPassLineMs: r.onsetAfterPassMs,
        })),
        printedWorstCaseMs: printed ?? null,
        failures,
      },
    };
  },
};
