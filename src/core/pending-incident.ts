// An incident a run owes: saved to the step state as soon as a deploy has failed, and cleared once
// the incident is open. A post step that still finds it (the run was killed, e.g. during the
// rollback) opens the incident itself before it lets go of the environment (post.ts).

export interface PendingIncident {
  environment: string;
  /** incident-label of the run. */
  label: string;
  /** tag-prefix of the run: where the incident's record is kept. */
  prefix: string;
  /** incident-repository of the run (`owner/name`); absent: the run's own repository. */
  repository?: string;
  failedSha: string;
  failedDeploymentId: number;
  /** Why the deploy failed, in a sentence (describeFailure). */
  failure: string;
  /** The version the automatic rollback went back to; absent when there was none to go back to. */
  knownGoodSha?: string;
  /** When the deploy was judged failed (epoch ms). */
  failedAt: number;
  /** How the rollback ended, once it has; absent while it runs (or when there was none). */
  rollbackResult?: 'healthy' | 'failed';
}

export function encodePendingIncident(pending: PendingIncident): string {
  return JSON.stringify(pending);
}

/** The pending incident in `text`, or undefined for none (an empty or cleared state) or a malformed one. */
export function decodePendingIncident(text: string): PendingIncident | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (key: string): key is string => typeof v[key] === 'string' && v[key] !== '';
  if (!str('environment') || !str('label') || !str('prefix') || !str('failedSha') || !str('failure')) return undefined;
  if (!Number.isInteger(v.failedDeploymentId) || typeof v.failedAt !== 'number') return undefined;
  if (v.knownGoodSha !== undefined && !str('knownGoodSha')) return undefined;
  if (v.repository !== undefined && !(str('repository') && /^[^/]+\/[^/]+$/.test(v.repository as string))) return undefined;
  if (v.rollbackResult !== undefined && v.rollbackResult !== 'healthy' && v.rollbackResult !== 'failed') return undefined;
  return {
    environment: v.environment as string,
    label: v.label as string,
    prefix: v.prefix as string,
    ...(v.repository !== undefined ? { repository: v.repository as string } : {}),
    failedSha: v.failedSha as string,
    failedDeploymentId: v.failedDeploymentId as number,
    failure: v.failure as string,
    ...(v.knownGoodSha !== undefined ? { knownGoodSha: v.knownGoodSha as string } : {}),
    failedAt: v.failedAt as number,
    ...(v.rollbackResult !== undefined ? { rollbackResult: v.rollbackResult as 'healthy' | 'failed' } : {}),
  };
}
