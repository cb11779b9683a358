// Durations as users write them in workflow inputs: 500ms, 30s, 5m, 1h.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

export function parseDuration(text: string): DurationResult {
  const match = DURATION.exec(text.trim());
  if (!match) {
    return { ok: false, error: `"${text}" is not a duration; write a number and a unit, e.g. 500ms, 30s, 5m or 1h` };
  }
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  if (ms <= 0) return { ok: false, error: `"${text}" must be longer than zero` };
  return { ok: true, ms };
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)}s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1_000);
    return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes ? `${hours}h${minutes}m` : `${hours}h`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(2)));
}
