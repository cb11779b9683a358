// Which open issues block deploys to an environment.

export interface IssueSummary {
  number: number;
  title: string;
  htmlUrl: string;
  body: string;
  isPullRequest: boolean;
  author: { login: string; type: string };
  /** Set on a closed incident that still blocks: why its closing does not count. */
  stillBlocking?: string;
}

export const ROLES = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a closer with `role` may unblock, when closing needs at least `required`. */
export function closerQualifies(role: string | undefined, required: Role): boolean {
  return ROLES.indexOf(role as Role) >= ROLES.indexOf(required);
}

/** `ignored`: issues that look like incidents but were not opened by deploy-guard's identity. */
export type GateDecision = ({ kind: 'clear' } | { kind: 'blocked'; incidents: IssueSummary[] }) & { ignored: IssueSummary[] };

/**
 * The marker deploy-guard writes into every incident it opens. Only issues carrying the marker for
 * this environment block it, so an incident for staging never blocks production and an unrelated
 * issue that happens to wear the label blocks nothing.
 */
export function incidentMarker(env: string): string {
  return `<!-- deploy-guard:incident environment=${env} -->`;
}

/**
 * An incident counts only if deploy-guard's own identity opened it: a bot (GITHUB_TOKEN and
 * GitHub App tokens act as bots, which no person can impersonate) or, with a personal token, that
 * token's user. A look-alike from anyone else is ignored (and reported), so nobody who can label
 * issues can block deploys by copying the marker.
 */
export function decideGate(openLabeledIssues: readonly IssueSummary[], env: string, ownLogin?: string): GateDecision {
  const marker = incidentMarker(env);
  const marked = openLabeledIssues.filter((issue) => !issue.isPullRequest && issue.body.includes(marker));
  const trusted = (issue: IssueSummary) => issue.author.type === 'Bot' || (ownLogin !== undefined && issue.author.login === ownLogin);
  const incidents = marked.filter(trusted).sort((a, b) => a.number - b.number);
  const ignored = marked.filter((issue) => !trusted(issue));
  return incidents.length ? { kind: 'blocked', incidents, ignored } : { kind: 'clear', ignored };
}
