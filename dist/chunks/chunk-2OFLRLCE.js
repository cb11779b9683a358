
// src/core/markdown.ts
function cut(text, max) {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}\u2026`;
}
function tail(text, max) {
  return text.length <= max ? text : `\u2026${text.slice(text.length - Math.max(0, max - 1))}`;
}
function escapeCell(text, max = 200) {
  return cut(oneLine(text), max).replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/@(?=[A-Za-z0-9])/g, "@\u200B");
}
function codeSpan(text, max = 200) {
  const body = cut(oneLine(text), max).replace(/\|/g, "\\|");
  if (!body.trim()) return "";
  const fence = "`".repeat(longestRun(body, "`") + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || fence.length > 1 ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}
function codeBlock(text, language = "text") {
  const body = withoutControls(text).replace(/\s+$/, "");
  const fence = "`".repeat(Math.max(3, longestRun(body, "`") + 1));
  return [`${fence}${language}`, ...body.split("\n"), fence];
}
function withoutControls(text) {
  return text.replace(/\r\n?/g, "\n").replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}
function oneLine(text) {
  return withoutControls(text).replace(/\s*\n\s*/g, " ").replace(/\t/g, " ");
}
function longestRun(text, char) {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

export {
  cut,
  tail,
  escapeCell,
  codeSpan,
  codeBlock,
  withoutControls
};
