// Which open issues block deploys to an environment.

export interface IssueSummary {
  number: number;
  title: string;
  htmlUrl: string;
  body: string;
  isPullRequest: boolean;
}

export type GateDecision = { kind: 'clear' } | { kind: 'blocked'; incidents: IssueSummary[] };

/**
 * The marker deploy-guard writes into every incident it opens. Only issues carrying the marker for
 * this environment block it, so an incident for staging never blocks production and an unrelated
 * issue that happens to wear the label blocks nothing.
 */
export function incidentMarker(env: string): string {
  return `<!-- deploy-guard:incident environment=${env} -->`;
}

export function decideGate(openLabeledIssues: readonly IssueSummary[], env: string): GateDecision {
  const marker = incidentMarker(env);
  const incidents = openLabeledIssues
    .filter((issue) => !issue.isPullRequest && issue.body.includes(marker))
    .sort((a, b) => a.number - b.number);
  return incidents.length ? { kind: 'blocked', incidents } : { kind: 'clear' };
}
