
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
  urlError,
  parseStatusRanges
};
