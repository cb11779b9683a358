import { createRequire as __dgCreateRequire } from 'node:module';
const require = __dgCreateRequire(import.meta.url);

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

// src/core/http-spec.ts
function urlError(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL; write a full URL such as https://example.com/health`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `"${text}" must be an http:// or https:// URL`;
  return void 0;
}
function parseStatusRanges(spec) {
  const ranges = [];
  for (const part of String(spec).split(",")) {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3}))?\s*$/.exec(part);
    if (!match) return `"${spec}" must be status codes or ranges such as 200, 200-299 or 200-299,304`;
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low < 100 || high > 599 || low > high) return `"${part.trim()}" is not a range of HTTP status codes (100-599)`;
    ranges.push([low, high]);
  }
  return ranges;
}

export {
  parseDuration,
  formatDuration,
  urlError,
  parseStatusRanges
};
