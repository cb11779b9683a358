// Summary statistics over samples. Percentiles interpolate linearly between closest ranks.

export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
  mean: number;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples');
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`non-finite sample in ${JSON.stringify(values)}`);
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0..100). */
export function percentile(values: readonly number[], p: number): number {
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return s[low]! + (s[high]! - s[low]!) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarize(values: readonly number[]): Summary {
  const s = sorted(values);
  return {
    n: s.length,
    min: s[0]!,
    median: percentile(s, 50),
    p90: percentile(s, 90),
    max: s[s.length - 1]!,
    mean: s.reduce((sum, v) => sum + v, 0) / s.length,
  };
}

/** 12.3 ms; one decimal below 100, none above. */
export function ms(value: number): string {
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ms`;
}

export const MiB = 1024 * 1024;

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** min / median / max of a summary, for tables. */
export function spread(s: Summary, format: (v: number) => string = ms): string {
  return `median ${format(s.median)} (min ${format(s.min)}, max ${format(s.max)}, n=${s.n})`;
}
