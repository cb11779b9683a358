import type { Clock } from '../../src/clock.ts';

/** A clock whose sleep advances virtual time at once. */
export function fakeClock(start = 1_000_000): Clock & { elapsed(): number } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
    elapsed: () => now - start,
  };
}
