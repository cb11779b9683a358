// Names of the refs deploy-guard keeps in the repository: tags under refs/tags/<prefix>/<env>/, and
// the records of its incidents and locks under refs/<prefix>/<env>/incidents/ and .../locks/ (no
// tags: nothing fetches or lists them by default).

// Environment names become path segments of tag names and markers in issue bodies, so they are
// held to a character set that is safe in both.
const ENVIRONMENT = /^[A-Za-z0-9._-]+$/;
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export function environmentError(env: string): string | undefined {
  if (!ENVIRONMENT.test(env)) {
    return `"${env}" may contain only letters, digits, ".", "_" and "-"`;
  }
  return refSegmentError(env);
}

export function tagPrefixError(prefix: string): string | undefined {
  const segments = prefix.split('/');
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      return `"${prefix}" must be one or more "/"-separated parts of letters, digits, ".", "_" and "-", none empty or starting with "."`;
    }
    const error = refSegmentError(segment);
    if (error) return error;
  }
  return undefined;
}

// git check-ref-format rules that the character sets above do not already exclude.
function refSegmentError(segment: string): string | undefined {
  if (segment.startsWith('.')) return `"${segment}" must not start with "."`;
  if (segment.includes('..')) return `"${segment}" must not contain ".."`;
  if (segment.endsWith('.lock') || segment.endsWith('.')) return `"${segment}" must not end with "." or ".lock"`;
  return undefined;
}

/** Ref (without the leading `refs/`) of the environment's last version that stayed healthy. */
export function knownGoodRef(prefix: string, env: string): string {
  return `tags/${prefix}/${env}/known-good`;
}

/**
 * Immutable tag on the version a run is about to deploy. Named by run id and attempt so a re-run
 * (a new attempt) gets its own tag and a repeated step in the same attempt finds its own tag again.
 */
export function preDeployRef(prefix: string, env: string, runId: string, runAttempt: string): string {
  return `tags/${prefix}/${env}/deploy-${runId}-${runAttempt}`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** What deploy-guard records an issue as: an incident it opened, or a lock a person took (mode: lock). */
export type RecordKind = 'incidents' | 'locks';

/** Ref (without `refs/`) that records that deploy-guard opened issue `issue` as a `kind` of the environment. */
export function recordRef(prefix: string, env: string, kind: RecordKind, issue: number): string {
  return `${recordsPrefix(prefix, env)}${kind}/${issue}`;
}

/** The common start (without `refs/`) of all the environment's records: one listing finds every kind. */
export function recordsPrefix(prefix: string, env: string): string {
  return `${prefix}/${env}/`;
}

/** The kind and issue number a listed record names (`refs/<prefix>/<env>/<kind>/<n>`), or undefined. */
export function recordedIssue(fullRef: string, prefix: string, env: string): { kind: RecordKind; issue: number } | undefined {
  const start = `refs/${recordsPrefix(prefix, env)}`;
  if (!fullRef.startsWith(start)) return undefined;
  const match = /^(incidents|locks)\/([1-9]\d{0,9})$/.exec(fullRef.slice(start.length));
  return match ? { kind: match[1] as RecordKind, issue: Number(match[2]) } : undefined;
}
