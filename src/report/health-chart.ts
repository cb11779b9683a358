// The health window as a chart: each check's latency per round, and which rounds failed, drawn
// as a Mermaid xychart (GitHub renders ```mermaid blocks in issues and job summaries).
import { codeSpan } from './markdown.ts';
import type { Round } from '../core/verdict.ts';

/** Rounds charted at most (the last ones): more would not be readable on a phone anyway. */
export const CHART_ROUNDS = 60;
/** Checks charted at most: one line each, and a palette has only so many colours that differ. */
export const CHART_SERIES = 8;

export interface HealthChart {
  /** Each charted round's time since the window started: "+0s", "+10s", ... */
  xLabels: string[];
  /** One per check: its latency (ms) in each charted round; null where it has no sample. */
  series: Array<{ check: string; values: Array<number | null> }>;
  /** Per charted round: whether it failed. */
  failed: boolean[];
  /** How many rounds there were in all (the chart holds the last `xLabels.length`). */
  totalRounds: number;
  /** Checks left out to stay within CHART_SERIES. */
  omittedChecks: string[];
}

export function healthChart(rounds: readonly Round[], maxRounds = CHART_ROUNDS, maxSeries = CHART_SERIES): HealthChart {
  const charted = rounds.slice(-maxRounds);
  const checks: string[] = [];
  const failing = new Set<string>();
  for (const round of charted) {
    for (const sample of round.samples) {
      if (!checks.includes(sample.check)) checks.push(sample.check);
      if (sample.outcome === 'fail') failing.add(sample.check);
    }
  }
  // With too many checks, the ones that failed are the ones worth a line.
  const ranked = [...checks.filter((c) => failing.has(c)), ...checks.filter((c) => !failing.has(c))];
  const kept = new Set(ranked.slice(0, maxSeries));
  return {
    xLabels: uniqueLabels(charted.map((r) => r.at)),
    series: checks
      .filter((check) => kept.has(check))
      .map((check) => ({ check, values: charted.map((r) => r.samples.find((s) => s.check === check)?.latencyMs ?? null) })),
    failed: charted.map((r) => r.outcome === 'fail'),
    totalRounds: rounds.length,
    omittedChecks: checks.filter((check) => !kept.has(check)),
  };
}

/** The top of the y axis: a round number at or above the highest latency. */
export function chartYMax(chart: HealthChart): number {
  const highest = Math.max(0, ...chart.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  if (highest <= 0) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(highest));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= highest)!;
  return Number((step * magnitude).toPrecision(6));
}

// The bar comes first so that the lines are drawn over it. Mermaid draws no legend (as of 11.17),
// so each series gets a colour of its own that the caption names.
const BAR_COLOUR = { name: 'light red', hex: '#f4a3a3' };
const LINE_COLOURS = [
  { name: 'blue', hex: '#1f6feb' },
  { name: 'purple', hex: '#8250df' },
  { name: 'orange', hex: '#d4750b' },
  { name: 'green', hex: '#1a7f37' },
  { name: 'grey', hex: '#6e7781' },
  { name: 'teal', hex: '#0f8a8a' },
  { name: 'brown', hex: '#8a5a2b' },
  { name: 'pink', hex: '#d6409f' },
];

/** The chart as a ```mermaid block, followed by a caption saying how to read it. */
export function renderHealthChart(chart: HealthChart, title: string): string[] {
  if (chart.xLabels.length === 0) return [];
  const yMax = chartYMax(chart);
  const palette = [BAR_COLOUR, ...chart.series.map((_, i) => LINE_COLOURS[i % LINE_COLOURS.length]!)];
  const numbers = (values: Array<number | null>) => `[${values.map((v) => v ?? 0).join(', ')}]`;
  const block = [
    '```mermaid',
    // The init directive goes first, where Mermaid documents it; the colours name the lines (no legend).
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette.map((c) => c.hex).join(', ')}"}}}}%%`,
    'xychart-beta',
    `  title "${mermaidText(title)}"`,
    `  x-axis "Time since the health window started" [${chart.xLabels.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "Latency (ms)" 0 --> ${yMax}`,
    `  bar "failed round" ${numbers(chart.failed.map((f) => (f ? yMax : 0)))}`,
    ...chart.series.map((s) => `  line "${mermaidText(s.check)}" ${numbers(s.values)}`),
    '```',
  ];
  const lines = chart.series.map((s, i) => `${codeSpan(s.check, 100)} ${palette[i + 1]!.name}`).join(', ');
  const notes = [
    `Each line is one check's latency in each health round (${lines}). A ${BAR_COLOUR.name} bar as tall as the chart marks a round that failed; no bar: the round passed or could not be measured.`,
  ];
  if (chart.series.some((s) => s.values.includes(null))) notes.push('A check with no sample in a round is drawn at 0.');
  if (chart.totalRounds > chart.xLabels.length) notes.push(`Only the last ${chart.xLabels.length} of the ${chart.totalRounds} rounds are charted.`);
  if (chart.omittedChecks.length) notes.push(`Not charted: ${chart.omittedChecks.slice(0, 20).map((c) => codeSpan(c, 100)).join(', ')}${chart.omittedChecks.length > 20 ? ', …' : ''}.`);
  return [...block, '', notes.join(' ')];
}

/** "+0s", "+10s", "+2.5s"; labels must differ, or Mermaid puts two rounds in one place. */
function uniqueLabels(times: number[]): string[] {
  const seen = new Set<string>();
  return times.map((at, i) => {
    let label = `+${Number((at / 1000).toFixed(at % 1000 === 0 ? 0 : 1))}s`;
    if (seen.has(label)) label = `${label} (${i + 1})`;
    seen.add(label);
    return label;
  });
}

// Mermaid strings end at a double quote, and "%%" starts a comment even inside one.
function mermaidText(text: string): string {
  return text.replace(/["\r\n]+/g, "'").replace(/%%+/g, '%').slice(0, 100);
}
