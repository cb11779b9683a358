// Goal 1: cold start of the bundle against a bare `node -e 0`, its peak memory, and its size.
import { join } from 'node:path';
import { gnuTimeAvailable, peakRss, timedRun, type RunOptions, type TimedRun } from './proc.ts';
import { kib, mib, MiB, ms, summarize, spread } from './stats.ts';
import { judged, missed, type BenchContext, type GoalResult, type Measurement } from './types.ts';

const TIME = { id: '1a', goal: 'Cold start: `node dist/index.js` (no inputs) vs `node -e 0`', target: '<= 1.5x', unit: 'x' };
const RSS = { id: '1b', goal: 'Cold start: peak RSS of `node dist/index.js`', target: '< 55 MiB', unit: 'MiB' };
const SIZE = { id: '1c', goal: 'Bundle: all .js files in dist/', target: '< 600 KiB (600 x 1024 = 614,400 bytes)', unit: 'bytes' };

export const coldStart: Measurement = {
  name: 'cold-start',
  title: 'Cold start, memory and bundle size',
  goals: [TIME, RSS, SIZE],
  method:
    'Spawns `node dist/index.js` (the dist/ snapshot, run by the node that action.yml names: node24) with an environment of only PATH and HOME (it exits 1 with an input error, as expected) and ' +
    '`node -e 0`, alternating, with the same node binary; wall time is hrtime from spawn() to the exit event. Two warm-up runs ' +
    'each, then the median of the timed runs. Peak RSS is `/usr/bin/time -f %M` over separate runs (the largest is reported). ' +
    'Bundle size is the sum of every .js file in the dist/ snapshot, chunks included.',
  async run(ctx) {
    const goals: GoalResult[] = [];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
    const opts: RunOptions = { env, cwd: join(ctx.distDir, '..'), timeoutMs: 30_000 };
    const entry = join(ctx.distDir, 'index.js');
    const dist = (): Promise<TimedRun> => timedRun(ctx.node, [entry], opts);
    const bare = (): Promise<TimedRun> => timedRun(ctx.node, ['-e', '0'], opts);
    const runs = ctx.quick ? 5 : 20;

    for (let i = 0; i < 2; i += 1) {
      await dist();
      await bare();
    }
    const distMs: number[] = [];
    const bareMs: number[] = [];
    let sample: TimedRun | undefined;
    for (let i = 0; i < runs; i += 1) {
      const d = await dist();
      sample ??= d;
      if (d.exitCode !== 1) throw new Error(`node dist/index.js exited ${d.exitCode} (signal ${d.signal}), expected 1 (an input error): ${d.stdout}${d.stderr}`);
      distMs.push(d.wallMs);
      bareMs.push((await bare()).wallMs);
    }
    const d = summarize(distMs);
    const b = summarize(bareMs);
    const ratio = d.median / b.median;
    const inputError = (`${sample?.stdout ?? ''}`.split('\n').find((l) => l.startsWith('::error')) ?? '').replace(/%0A/g, ' ').replace(/%25/g, '%');
    goals.push(judged(TIME, Number(ratio.toFixed(3)), ratio <= 1.5, `${ratio.toFixed(2)}x (${ms(d.median)} vs ${ms(b.median)}, medians of ${runs})`));

    const time = await gnuTimeAvailable();
    const rssRuns: number[] = [];
    let bareRss: number | undefined;
    if (time.ok) {
      for (let i = 0; i < (ctx.quick ? 2 : 5); i += 1) {
        const { bytes } = await peakRss(ctx.node, [entry], opts);
        if (bytes !== undefined) rssRuns.push(bytes);
      }
      bareRss = (await peakRss(ctx.node, ['-e', '0'], opts)).bytes;
      const peak = rssRuns.length ? Math.max(...rssRuns) : undefined;
      goals.push(
        peak === undefined
          ? missed(RSS, `${'/usr/bin/time'} reported no number`)
          : judged(RSS, Number((peak / MiB).toFixed(1)), peak < 55 * MiB, `${mib(peak)} (max of ${rssRuns.length} run${rssRuns.length === 1 ? '' : 's'}; node -e 0: ${bareRss ? mib(bareRss) : 'n/a'})`),
      );
    } else {
      ctx.log(`cold-start: ${time.reason}`);
      goals.push(missed(RSS, time.reason));
    }

    const files = ctx.distFiles;
    const js = files.filter((f) => f.path.endsWith('.js'));
    const total = js.reduce((sum, f) => sum + f.bytes, 0);
    const index = files.find((f) => f.path === 'index.js')?.bytes ?? 0;
    goals.push(judged(SIZE, total, total < 600 * 1024, `${kib(total)} (${total.toLocaleString('en-US')} bytes) in ${js.length} .js files; index.js ${kib(index)}`));

    const details = [
      `| run | wall time | n |`,
      `| --- | --- | --- |`,
      `| \`node dist/index.js\` | ${spread(d)} | ${d.n} |`,
      `| \`node -e 0\` | ${spread(b)} | ${b.n} |`,
      '',
      `Input error printed by the no-input run: \`${inputError.slice(0, 300) || '(none found)'}\``,
      '',
      `| dist file | bytes |`,
      `| --- | ---: |`,
      ...files.map((f) => `| ${f.path} | ${f.bytes.toLocaleString('en-US')} |`),
      `| **all .js** | **${total.toLocaleString('en-US')}** |`,
    ].join('\n');
    return {
      goals,
      details,
      data: { distMs, bareMs, ratio, rssBytes: rssRuns, bareRssBytes: bareRss ?? null, files, totalJsBytes: total, inputError },
    };
  },
};
