// Identifiers and timestamps in GitHub's formats.

/** Per-kind increasing database ids, in separate ranges so they are easy to tell apart. */
export class IdSequences {
  private readonly next = new Map<string, number>();

  constructor(private readonly bases: Record<string, number>) {}

  take(kind: string): number {
    const base = this.bases[kind];
    if (base === undefined) throw new Error(`no id range for ${kind}`);
    const value = this.next.get(kind) ?? base;
    this.next.set(kind, value + 1);
    return value;
  }
}

/**
 * A GraphQL global node id in GitHub's newer style: a type prefix, then base64url of
 * the type-and-id. Opaque to clients, as on GitHub.
 */
export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;
}

/** ISO 8601 in UTC without milliseconds, as GitHub writes timestamps. */
export function isoSeconds(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 'C0DE:1A2B:3C4D5E:6F7A8B:65A1B2C3'-like, as in x-github-request-id. */
export function requestId(counter: number): string {
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0').slice(-width);
  const seconds = Math.floor(Date.now() / 1000);
  return `${hex(process.pid, 4)}:${hex(counter, 4)}:${hex(counter * 7919, 6)}:${hex(counter * 104729, 6)}:${hex(seconds, 8)}`;
}
