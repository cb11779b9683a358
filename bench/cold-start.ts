// Goals 1b and 1c: peak memory of the bundle when it stops at an input error, and its size.
import { join } from 'node:path';
import { gnuTimeAvailable, peakRss, type RunOptions } from './proc.ts';
import { kib, mib, MiB } from './stats.ts';
import { judged, missed, type GoalResult, type Measurement } from './types.ts';

const RSS = { id: '1b', goal: 'Cold start: peak RSS of `node dist/index.js`', target: '< 55 MiB', unit: 'MiB' };
/** Bytes, as `ls -l` counts them (700 KB, not KiB). */
const MAX_BUNDLE_BYTES = 700_000;
const SIZE = { id: '1c', goal: 'Bundle: all .js files in dist/ (minified)', target: '< 700 KB (700,000 bytes)', unit: 'bytes' };

export const coldStart: Measurement = {
  name: 'cold-start',
  title: 'Cold start memory and bundle size',
  goals: [RSS, SIZE],
  method:
    'Runs `node dist/index.js` (the dist/ snapshot, run by the node that action.yml names: node24) with an environment of only ' +
    'PATH and HOME (it exits 1 with an input error, as expected) under `/usr/bin/time -f %M`, five times, and reports the largest ' +
    'peak RSS (`node -e 0` for comparison). Bundle size is the sum of every .js file in the dist/ snapshot, chunks included, in bytes.',
  async run(ctx) {
    const goals: GoalResult[] = [];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
    const opts: RunOptions = { env, cwd: join(ctx.distDir, '..'), timeoutMs: 30_000 };
    const entry = join(ctx.distDir, 'index.js');

    const time = await gnuTimeAvailable();
    const rssRuns: number[] = [];
    let bareRss: number | undefined;
    let inputError = '';
    if (time.ok) {
      for (let i = 0; i < (ctx.quick ? 2 : 5); i += 1) {
        const { run, bytes } = await peakRss(ctx.node, [entry], opts);
        if (run.exitCode !== 1) throw new Error(`node dist/index.js exited ${run.exitCode} (signal ${run.signal}), expected 1 (an input error): ${run.stdout}${run.stderr}`);
        inputError ||= (run.stdout.split('\n').find((l) => l.startsWith('::error')) ?? '').replace(/%0A/g, ' ').replace(/%25/g, '%');
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
    goals.push(judged(SIZE, total, total < MAX_BUNDLE_BYTES, `${total.toLocaleString('en-US')} bytes (${kib(total)}) in ${js.length} .js files; index.js ${index.toLocaleString('en-US')} bytes`));

    const details = [
      `Input error printed by the no-input run: \`${inputError.slice(0, 300) || '(none found)'}\``,
      '',
      `| dist file | bytes |`,
      `| --- | ---: |`,
      ...files.map((f) => `| ${f.path} | ${f.bytes.toLocaleString('en-US')} |`),
      `| **all .js** | **${total.toLocaleString('en-US')}** |`,
    ].join('\n');
    return { goals, details, data: { rssBytes: rssRuns, bareRssBytes: bareRss ?? null, files, totalJsBytes: total, inputError } };
  },
};
