
// src/core/duration.ts
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
var DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
function parseDuration(text) {
  const match = DURATION.exec(text.trim());
  if (!match) {
    return { ok: false, error: `"${text}" is not a duration; write a number and a unit, e.g. 500ms, 30s, 5m or 1h` };
  }
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]]);
  if (ms <= 0) return { ok: false, error: `"${text}" must be longer than zero` };
  return { ok: true, ms };
}
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  if (ms < 6e4) return `${trim(ms / 1e3)}s`;
  if (ms < 36e5) {
    const minutes2 = Math.floor(ms / 6e4);
    const seconds = Math.round(ms % 6e4 / 1e3);
    return seconds ? `${minutes2}m${seconds}s` : `${minutes2}m`;
  }
  const hours = Math.floor(ms / 36e5);
  const minutes = Math.round(ms % 36e5 / 6e4);
  return minutes ? `${hours}h${minutes}m` : `${hours}h`;
}
function trim(n) {
  return String(Number(n.toFixed(2)));
}

export {
  parseDuration,
  formatDuration
};
