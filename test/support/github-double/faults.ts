// Injected faults: failures, rate limits and latency for matching requests.
import type { FaultRule } from './types.ts';

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function pathMatches(pattern: FaultRule['path'], rawPath: string): boolean {
  if (pattern === undefined) return true;
  // Octokit percent-encodes slashes inside parameters ('heads%2Fmain'): match either spelling.
  return [rawPath, decoded(rawPath)].some((path) => {
    if (pattern instanceof RegExp) {
      pattern.lastIndex = 0;
      return pattern.test(path);
    }
    return path === pattern || (pattern.startsWith('/') && path.endsWith(pattern));
  });
}

export class FaultBook {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const times = rule.times ?? Number.POSITIVE_INFINITY;
    if (!(times > 0)) return;
    if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599)) {
      throw new Error(`fault status must be an HTTP error status, got ${rule.status}`);
    }
    this.rules.push({ rule: { ...rule }, remaining: times });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching the request (`operation`: a GraphQL request's operation name), counting it as used once. */
  take(method: string, path: string, operation?: string): FaultRule | undefined {
    const index = this.rules.findIndex(
      ({ rule }) =>
        (rule.method === undefined || rule.method.toUpperCase() === method) &&
        pathMatches(rule.path, path) &&
        (rule.operation === undefined || rule.operation === operation),
    );
    if (index < 0) return undefined;
    const active = this.rules[index]!;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule;
  }
}
