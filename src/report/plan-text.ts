// The plan printed before a deploy: what will be deployed, each check, and how fast a failure is caught.
import { isWarnOnly, type Check } from '../health/check-types.ts';
import { worstCaseDetectionMs, type DetectionSettings } from '../core/detection.ts';
import { formatDuration } from '../core/duration.ts';
import { shownUrl } from '../core/redact.ts';
import { stageLabel, stageRef, type Stage } from '../core/stages.ts';

export interface PlanFacts extends DetectionSettings {
  environment: string;
  sha: string;
  knownGoodSha: string | undefined;
  healthWindowMs: number;
  maxFailedRounds: number | undefined;
  inconclusiveThreshold: number;
  dryRun: boolean;
  /** A staged deploy's stages (the health line above is then the rollback's window). */
  stages?: readonly Stage[] | undefined;
}

export function planText(p: PlanFacts): string {
  const rounds = Math.floor(p.healthWindowMs / p.healthIntervalMs) + 1;
  const schedule =
    p.healthWindowMs === 0
      ? `one round right after the command (health-window 0s), repeated every ${formatDuration(p.healthIntervalMs)} only while it fails; `
      : `a round every ${formatDuration(p.healthIntervalMs)} for ${formatDuration(p.healthWindowMs)} (${rounds} rounds); `;
  return [
    `Plan for ${p.environment}: deploy ${p.sha}${p.dryRun ? ' (dry run: the verdict is only reported; no known-good move, rollback or incident)' : ''}.`,
    p.knownGoodSha ? `Known-good version: ${p.knownGoodSha} (the rollback target).` : `No known-good version yet: a failure cannot be rolled back.`,
    `Health: ${p.healthInitialDelayMs ? `after a ${formatDuration(p.healthInitialDelayMs)} warm-up, ` : ''}${schedule}` +
      `${p.failureThreshold} consecutive failed rounds` +
      (p.maxFailedRounds !== undefined ? `, or more than ${p.maxFailedRounds} failed rounds in all` : '') +
      (p.inconclusiveThreshold ? `, or ${p.inconclusiveThreshold} consecutive inconclusive rounds` : '') +
      ` make it unhealthy.`,
    ...p.checks.map((c) => `  check "${c.name}": ${describeCheck(c)}${isWarnOnly(c) ? '; on-failure: warn (its failures only warn, never roll back)' : ''}`),
    `Worst case from a failure to the verdict that starts the rollback: ${formatDuration(worstCaseDetectionMs(p))}.`,
    ...stageLines(p.stages),
  ].join('\n');
}

function stageLines(stages: readonly Stage[] | undefined): string[] {
  if (!stages) return [];
  return [
    `In ${stages.length} stages, each healthy for its own window before the next starts (health-window is then the rollback's); a failure at any stage rolls everything back:`,
    ...stages.map((s, i) => `  ${stageLabel(stageRef(stages, i))}: window ${formatDuration(s.windowMs)}; checks ${s.checks.map((c) => `"${c.name}"`).join(', ')}`),
  ];
}

export function describeCheck(c: Check): string {
  const timeout = `timeout ${formatDuration(c.timeoutMs)}`;
  switch (c.type) {
    case 'http': {
      const expects = [
        `status ${c.statusRanges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`,
        ...(c.bodyContains ? [`body contains "${c.bodyContains}"`] : []),
        ...(c.bodyMatches ? [`body matches /${c.bodyMatches}/`] : []),
        ...(c.maxLatencyMs !== undefined ? [`within ${formatDuration(c.maxLatencyMs)}`] : []),
      ];
      return `${c.method} ${displayUrl(c.url)} expects ${expects.join(', ')}; redirects: ${c.redirects}; ${timeout}`;
    }
    case 'tcp':
      return `TCP connect to ${c.host}:${c.port}; ${timeout}`;
    case 'command':
      return `bash -c ${JSON.stringify(c.run)} exits 0; ${timeout}`;
    case 'prometheus': {
      const bounds = [
        ...(c.max !== undefined ? [`<= ${c.max}`] : []),
        ...(c.min !== undefined ? [`>= ${c.min}`] : []),
        ...(c.maxRatioToBaseline !== undefined ? [`<= ${c.maxRatioToBaseline}x baseline`] : []),
        ...(c.minRatioToBaseline !== undefined ? [`>= ${c.minRatioToBaseline}x baseline`] : []),
      ];
      const floor = c.baselineFloor !== undefined ? ` (baseline floor ${c.baselineFloor})` : '';
      return `Prometheus ${displayUrl(c.url)} query ${JSON.stringify(c.query)} ${bounds.join(' and ')}${floor}; no data: ${c.onNoData}; ${timeout}`;
    }
  }
}

/** The URL as it may appear in the plan: credentials and query tokens replaced by `***` (core/redact.ts). */
export function displayUrl(url: string): string {
  let normal = url;
  try {
    normal = new URL(url).toString();
  } catch {
    // Shown as written, still without credentials.
  }
  return shownUrl(normal);
}
