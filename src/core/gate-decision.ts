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

/** Open issues that carry the environment's incident marker (environment names compare case-insensitively, as on GitHub). */
export function markedIncidents(issues: readonly IssueSummary[], env: string): IssueSummary[] {
  const marker = incidentMarker(env).toLowerCase();
  return issues.filter((issue) => !issue.isPullRequest && issue.body.toLowerCase().includes(marker));
}

/**
 * For issues deploy-guard did not record (opened before records existed, or whose record could not
 * be written): one counts only if deploy-guard's own identity opened it. With the identity
 * unknown (an installation token before deploy-guard's first deployment), any bot's counts: the
 * gate fails closed rather than let an incident through; a person's never does, since installation
 * tokens act as bots. A look-alike from anyone else is ignored (and reported), so nobody who can
 * label issues can block deploys by copying the marker.
 */
export function decideGate(openLabeledIssues: readonly IssueSummary[], env: string, ownLogin: string | undefined): GateDecision {
  const marked = markedIncidents(openLabeledIssues, env);
  const trusted = (issue: IssueSummary) => (ownLogin !== undefined ? issue.author.login === ownLogin : issue.author.type === 'Bot');
  const incidents = marked.filter(trusted).sort((a, b) => a.number - b.number);
  const ignored = marked.filter((issue) => !trusted(issue));
  return incidents.length ? { kind: 'blocked', incidents, ignored } : { kind: 'clear', ignored };
}
