import { describe, expect, it } from 'vitest';
import { createWritePacer } from '../../src/github/write-pacer.ts';
import { fakeClock } from './fake-clock.ts';

async function startTimes(count: number, burst: number, intervalMs: number, gapMs = 0): Promise<number[]> {
  const clock = fakeClock(0);
  const pacer = createWritePacer({ burst, intervalMs, clock });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await pacer.key('x').schedule({}, async () => times.push(clock.now()));
    if (gapMs) await clock.sleep(gapMs);
  }
  return times;
}

describe('write pacer', () => {
  it('lets a burst of writes go at once', async () => {
    expect(await startTimes(5, 8, 1000)).toEqual([0, 0, 0, 0, 0]);
  });

  it('spaces writes one interval apart once the burst is spent', async () => {
    expect(await startTimes(6, 3, 1000)).toEqual([0, 0, 0, 1000, 2000, 3000]);
  });

  it('refills while no writes are made, up to the burst', async () => {
    // 3 at once, then after 10 s of quiet the bucket is full again (3), not 10.
    const clock = fakeClock(0);
    const pacer = createWritePacer({ burst: 3, intervalMs: 1000, clock });
    const times: number[] = [];
    const write = () => pacer.schedule({}, async () => times.push(clock.now()));
    for (let i = 0; i < 3; i++) await write();
    await clock.sleep(10_000);
    for (let i = 0; i < 5; i++) await write();
    expect(times).toEqual([0, 0, 0, 10_000, 10_000, 10_000, 11_000, 12_000]);
  });

  it('never exceeds burst + minutes x 60 writes in any minute (GitHub allows 80)', async () => {
    const times = await startTimes(200, 10, 1000);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(70);
    expect(times).toHaveLength(200);
  });

  it('starts writes in the order they were scheduled, one at a time', async () => {
    const clock = fakeClock(0);
    const pacer = createWritePacer({ burst: 1, intervalMs: 500, clock });
    const order: string[] = [];
    await Promise.all(['a', 'b', 'c'].map((name) => pacer.schedule({}, async () => order.push(`${name}@${clock.now()}`))));
    expect(order).toEqual(['a@0', 'b@500', 'c@1000']);
    expect(pacer.started).toBe(3);
  });
});

