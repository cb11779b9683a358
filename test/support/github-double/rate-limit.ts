// The primary (hourly) rate-limit window and the x-ratelimit-* headers every response carries.

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  reset: number;
  used: number;
  resource: string;
}

export class RateLimitWindow {
  private used = 0;
  private resetEpoch: number;

  constructor(
    readonly limit = 5000,
    private readonly windowSeconds = 3600,
    /** `core` for REST, `graphql` for GraphQL: GitHub counts them apart. */
    readonly resource = 'core',
  ) {
    this.resetEpoch = this.nowEpoch() + windowSeconds;
  }

  private nowEpoch(): number {
    return Math.floor(Date.now() / 1000);
  }

  private roll(): void {
    if (this.nowEpoch() >= this.resetEpoch) {
      this.used = 0;
      this.resetEpoch = this.nowEpoch() + this.windowSeconds;
    }
  }

  /** Counts one request (one point for a GraphQL query, its least cost). Returns false when the window is already exhausted. */
  consume(): boolean {
    this.roll();
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  snapshot(): RateLimitSnapshot {
    this.roll();
    return { limit: this.limit, remaining: this.limit - this.used, reset: this.resetEpoch, used: this.used, resource: this.resource };
  }
}

export function rateLimitHeaders(snapshot: RateLimitSnapshot): Record<string, string> {
  return {
    'x-ratelimit-limit': String(snapshot.limit),
    'x-ratelimit-remaining': String(snapshot.remaining),
    'x-ratelimit-reset': String(snapshot.reset),
    'x-ratelimit-used': String(snapshot.used),
    'x-ratelimit-resource': snapshot.resource,
  };
}
