// Goal 5: how soon the rollback command starts after the verdict when every API call takes 300 ms.
import { ms, spread, summarize } from './stats.ts';
import { FAILED_LINE, openDetectionWorld, VERDICT_LINE, type TrialResult } from './trial.ts';
import { judged, missed, type Measurement } from './types.ts';

const LATENCY_MS = 300;
const GOAL = {
  id: '5',
  goal: `Rollback start after the verdict, ${LATENCY_MS} ms latency on every API call`,
  target: 'median < 100 ms',
  unit: 'ms',
};

export const rollbackLatency: Measurement = {
  name: 'rollback-latency',
  title: 'Verdict to rollback start under API latency',
  goals: [GOAL],
  method:
    `The detection trial (see above) with the double delaying every API response by ${LATENCY_MS} ms (a fault rule without ` +
    'method or path) for the whole measured run. The verdict is the moment the main step\'s stdout line for the round that ' +
    `reaches the threshold (\`${VERDICT_LINE.source}\`) arrives on the pipe; the bench timestamps lines as they arrive. ` +
    'The rollback start is the time the rollback command writes as its first act. Also shown: when the ' +
    `\`${FAILED_LINE.source}\` line arrived.`,
  async run(ctx) {
    const trials = ctx.quick ? 2 : 6;
    const world = await openDetectionWorld(ctx.distDir);
    const results: TrialResult[] = [];
    const failures: string[] = [];
    try {
      for (let i = 0; i < trials; i += 1) {
        try {
          const r = await world.trial({ version: `l${i + 2}`, latencyMs: LATENCY_MS });
          if (!r.verdictLine) throw new Error(`no stdout line matched ${VERDICT_LINE} after the onset`);
          results.push(r);
          ctx.log(`rollback-latency: trial ${i + 1}/${trials}: ${ms(r.rollbackStart - r.verdictLine.at)}`);
        } catch (error) {
          failures.push((error as Error).message);
          ctx.log(`rollback-latency: trial ${i + 1}/${trials} failed: ${(error as Error).message}`);
        }
      }
    } finally {
      await world.close();
    }
    if (results.length === 0) return { goals: [missed(GOAL, failures[0] ?? 'no trial ran')], data: { failures } };
    const after = summarize(results.map((r) => r.rollbackStart - r.verdictLine!.at));
    const failedLine = results.filter((r) => r.failedLine).map((r) => r.failedLine!.at - r.verdictLine!.at);
    const note = failures.length ? `${failures.length} of ${trials} trials failed: ${failures[0]}` : undefined;
    const goal = judged(GOAL, Math.round(after.median), failures.length === 0 && after.median < 100, `${ms(after.median)} median of ${after.n}, max ${ms(after.max)}`, note);
    const details = [
      `| from the verdict line to | time |`,
      `| --- | --- |`,
      `| the rollback command's start | ${spread(after)} |`,
      ...(failedLine.length ? [`| the "Deploy of ... failed" line | ${spread(summarize(failedLine))} |`] : []),
      '',
      `Each measured run made ${[...new Set(results.map((r) => r.requestsInRun))].join(' or ')} API requests; its main step took ${spread(summarize(results.map((r) => r.mainMs)))}. ` +
        `At ${LATENCY_MS} ms per call, each API request made between the verdict and the rollback command costs at least ${LATENCY_MS} ms. ` +
        `Requests the double received in that interval (trial 1): ${results[0]!.requestsBetween.length ? results[0]!.requestsBetween.map((r) => `\`${r}\``).join(', ') : 'none'}.`,
      ...failures.map((f) => `\nFailed trial: ${f}`),
    ].join('\n');
    return {
      goals: [goal],
      details,
      data: {
        latencyMs: LATENCY_MS,
        trials: results.map((r) => ({
          verdictToRollbackMs: r.rollbackStart - r.verdictLine!.at,
          verdictToFailedLineMs: r.failedLine ? r.failedLine.at - r.verdictLine!.at : null,
          onsetToRollbackMs: r.rollbackStart - r.onset,
          requestsBetween: r.requestsBetween,
        })),
        failures,
      },
    };
  },
};
