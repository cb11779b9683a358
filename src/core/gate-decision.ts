// Which open issues block deploys to an environment.

export interface IssueSummary {
  number: number;
  title: string;
  htmlUrl: string;
  body: string;
  isPullRequest: boolean;
  author: { login: string; type: string };
  /** Set on an incident that blocks for a reason of its own (closed but not as the rules ask; marked for all environments). */
  stillBlocking?: string;
  /** Set on a look-alike that does not block: why (the gate warns with it). */
  ignoredWhy?: string;
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
 * The marker a person writes into an issue (with the incident label) to block every environment
 * of every repository whose incidents are kept where the issue is: a freeze during an outage.
 * Environment names never hold `*` (core/tag-names.ts), so it matches no single environment.
 */
export const ALL_ENVIRONMENTS_MARKER = '<!-- deploy-guard:incident environment=* -->';

/** Open issues marked for all environments. */
export function markedForAllEnvironments(issues: readonly IssueSummary[]): IssueSummary[] {
  return issues.filter((issue) => !issue.isPullRequest && issue.body.toLowerCase().includes(ALL_ENVIRONMENTS_MARKER));
}

/** Who wrote the issues marked for all environments: their role where the issues are decides. */
export interface Authors {
  roleOf: (login: string) => string | undefined;
  /** `owner/name` of the repository that keeps the incidents, for the warnings. */
  repository: string;
}

/**
 * For issues deploy-guard did not record (opened before records existed, or whose record could not
 * be written): one counts only if deploy-guard's own identity opened it. With the identity
 * unknown (an installation token before deploy-guard's first deployment), any bot's counts: the
 * gate fails closed rather than let an incident through; a person's never does, since installation
 * tokens act as bots. A look-alike from anyone else is ignored (and reported), so nobody who can
 * label issues can block deploys by copying the marker.
 *
 * An issue marked for all environments is a person's, never deploy-guard's: it counts if its author
 * has write access or more where it is (`authors`; none given: it never counts), as a person who
 * could push a change that stops deploys could also stop them this way; anyone else's is ignored.
 */
export function decideGate(openLabeledIssues: readonly IssueSummary[], env: string, ownLogin: string | undefined, authors?: Authors): GateDecision {
  const marked = markedIncidents(openLabeledIssues, env);
  const trusted = (issue: IssueSummary) => (ownLogin !== undefined ? issue.author.login === ownLogin : issue.author.type === 'Bot');
  const forAll = markedForAllEnvironments(openLabeledIssues);
  const roleOf = (issue: IssueSummary) => authors?.roleOf(issue.author.login);
  const writer = (issue: IssueSummary) => closerQualifies(roleOf(issue), 'write');
  const incidents = [
    ...marked.filter(trusted),
    ...forAll.filter(writer).map((issue) => ({
      ...issue,
      stillBlocking: `it is open, and @${issue.author.login} (${roleOf(issue)}) marked it for all environments; close it to unblock deploys`,
    })),
  ].sort((a, b) => a.number - b.number);
  const ignored = [
    ...marked.filter((issue) => !trusted(issue)),
    ...forAll.filter((issue) => !writer(issue)).map((issue) => ({
      ...issue,
      ignoredWhy:
        `is marked for all environments, but @${issue.author.login} who opened it has ${roleOf(issue) ? `the ${roleOf(issue)} role` : 'no role'} ` +
        `on ${authors?.repository ?? 'the repository'}, below write`,
    })),
  ];
  return incidents.length ? { kind: 'blocked', incidents, ignored } : { kind: 'clear', ignored };
}
