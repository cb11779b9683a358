
// src/core/gate-decision.ts
var ROLES = ["read", "triage", "write", "maintain", "admin"];
function closerQualifies(role, required) {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
function incidentMarker(env) {
  return `<!-- deploy-guard:incident environment=${env} -->`;
}
function decideGate(openLabeledIssues, env, ownLogin) {
  const marker = incidentMarker(env);
  const marked = openLabeledIssues.filter((issue) => !issue.isPullRequest && issue.body.includes(marker));
  const trusted = (issue) => issue.author.type === "Bot" || ownLogin !== void 0 && issue.author.login === ownLogin;
  const incidents = marked.filter(trusted).sort((a, b) => a.number - b.number);
  const ignored = marked.filter((issue) => !trusted(issue));
  return incidents.length ? { kind: "blocked", incidents, ignored } : { kind: "clear", ignored };
}

export {
  ROLES,
  closerQualifies,
  incidentMarker,
  decideGate
};
