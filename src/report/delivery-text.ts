// Status mode's "Delivery figures" section of the job summary: a table of the figures and a Mermaid
// xychart of deploys and failed deploys per week (GitHub renders ```mermaid blocks in job
// summaries: docs/github-behaviours.md, item 25).
import type { DeliveryFigures, LastDrill } from '../core/delivery-figures.ts';
import { formatDuration } from '../core/duration.ts';
import { shortSha } from '../core/tag-names.ts';
import { codeSpan } from './markdown.ts';
import { formatUtc } from './report-sections.ts';

const DAY_MS = 86_400_000;
const DEPLOYS = { name: 'blue', hex: '#1f6feb' };
const FAILURES = { name: 'red', hex: '#cf222e' };

export function deliveryLines(f: DeliveryFigures): string[] {
  const lines = [`### Delivery figures (last ${f.period.days} days)`, '', '| Figure | Value |', '| --- | --- |', ...rows(f).map(([k, v]) => `| ${k} | ${v} |`)];
  if (f.deploys.count) lines.push('', ...weeklyChart(f));
  return lines;
}

function rows(f: DeliveryFigures): Array<[string, string]> {
  const { deploys, timeToRestore: ttr, leadTime: lead, rollbacks: rb } = f;
  return [
    ['Deploy frequency', `${deploys.count} deploys: ${deploys.perDay} a day, ${deploys.perWeek} a week`],
    ['Change failure rate', f.changeFailureRate === null ? 'n/a (no deploys)' : `${percent(f.changeFailureRate)} (${f.failedDeploys} of ${deploys.count} deploys failed)`],
    [
      'Time to restore (failed deploy to the next healthy version)',
      (ttr.restored ? `median ${span(ttr.medianMs!)}, worst ${span(ttr.worstMs!)} (${ttr.restored} restored)` : 'n/a') +
        (ttr.unrestored ? `; ${ttr.unrestored} not restored yet` : ''),
    ],
    ['Lead time (commit to proven deploy)', lead.count ? `median ${span(lead.medianMs!)}, p90 ${span(lead.p90Ms!)} (${lead.count} deploys)` : 'n/a'],
    [
      'Rollbacks',
      rb.count
        ? `${rb.count}: ${rb.succeeded} succeeded, ${rb.failed} failed (success rate ${percent(rb.successRate!)}); ${rb.automatic} automatic, ${rb.manual} manual`
        : 'none',
    ],
    ['Checks that failed most', f.failedChecks.length ? f.failedChecks.map((c) => `${codeSpan(c.check, 60)} (${c.failures})`).join(', ') : 'none named'],
    ['Last drill', drillText(f.lastDrill)],
  ];
}

function drillText(d: LastDrill | null): string {
  if (!d) return 'no drill in the period';
  const legs = d.legs.map((l) => `${l.leg} to \`${shortSha(l.sha)}\` ${l.state}`).join(', ');
  const result = d.result === 'failed' ? `**failed** (${d.failedLeg} leg)` : d.result;
  return `${result}: run ${d.run}, ${formatUtc(Date.parse(d.at)).replace('.000 ', ' ')}${legs ? `; ${legs}` : ''}`;
}

/** Deploys (bars) and failed deploys (a line) per week of the period. */
function weeklyChart(f: DeliveryFigures): string[] {
  const labels = f.weeks.map((w) => `"${w.start.slice(5, 10)}"`).join(', ');
  const top = Math.max(1, ...f.weeks.map((w) => w.deploys));
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${DEPLOYS.hex}, ${FAILURES.hex}"}}}}%%`,
    'xychart-beta',
    '  title "Deploys and failed deploys per week"',
    `  x-axis "Week from (UTC, month-day)" [${labels}]`,
    `  y-axis "Deploys" 0 --> ${top}`,
    `  bar "deploys" [${f.weeks.map((w) => w.deploys).join(', ')}]`,
    `  line "failed deploys" [${f.weeks.map((w) => w.failures).join(', ')}]`,
    '```',
    '',
    `${cap(DEPLOYS.name)} bars: deploys per week; ${FAILURES.name} line: failed deploys per week (Mermaid draws no legend). The last week may be shorter.`,
  ];
}

const percent = (rate: number): string => `${Math.round(rate * 100)}%`;
const cap = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Days and hours past two days; formatDuration below. */
function span(ms: number): string {
  if (ms < 2 * DAY_MS) return formatDuration(ms);
  const totalHours = Math.round(ms / 3_600_000);
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return hours ? `${days}d${hours}h` : `${days}d`;
}
