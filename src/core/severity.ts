// How bad an incident is: what deploy-guard knows of the environment's state when it opens one.
// Pure. Written as a label and as a marker in the body; the marker (deploy-guard's own text) is
// what the closing rules read, since anyone who can triage can change labels.

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the incident is about. */
export type IncidentCause =
  | { kind: 'rolled-back' }
  | { kind: 'rollback-failed' }
  | { kind: 'no-rollback-target' }
  /** The run was stopped before its rollback ended (post step): its outcome is unknown. */
  | { kind: 'stopped'; rollbackResult: 'healthy' | 'failed' | undefined }
  | { kind: 'manual-rollback'; chosen: Severity | undefined; failed: boolean }
  /** A rollback drill failed: its back leg (the rollback path is broken), or its forward leg (known-good may not run). */
  | { kind: 'drill'; forwardFailed: boolean };

/**
 * Nothing serving a known-good version: critical. Rolled back and healthy: high. A manual rollback: as
 * chosen (medium unless said). A drill whose rollback failed but which rolled forward: high.
 */
export function severityOf(cause: IncidentCause): Severity {
  switch (cause.kind) {
    case 'rollback-failed':
    case 'no-rollback-target':
      return 'critical';
    case 'rolled-back':
      return 'high';
    case 'stopped':
      return cause.rollbackResult === 'healthy' ? 'high' : 'critical';
    case 'manual-rollback':
      return cause.failed ? 'critical' : (cause.chosen ?? 'medium');
    case 'drill':
      return cause.forwardFailed ? 'critical' : 'high';
  }
}

export function isSeverity(text: string): text is Severity {
  return (SEVERITIES as readonly string[]).includes(text);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

export function severityLabel(severity: Severity): string {
  return `severity:${severity}`;
}

export function severityMarker(severity: Severity): string {
  return `<!-- deploy-guard:severity=${severity} -->`;
}

/**
 * The severity deploy-guard wrote into an incident's body; an incident without one (opened before
 * severities existed, or edited) counts as critical, so a rule that applies from some severity up
 * is never escaped by removing the marker.
 */
export function severityInBody(body: string): Severity {
  const found = /<!-- deploy-guard:severity=(\w+) -->/.exec(body)?.[1];
  return found && isSeverity(found) ? found : 'critical';
}
