import { describe, expect, it } from 'vitest';
import { parseChecks } from '../../src/health/checks-input.ts';
import { describeCheck, planText } from '../../src/report/plan-text.ts';

const parse = (yaml: string, env: NodeJS.ProcessEnv = {}) => parseChecks(yaml, { defaultTimeoutMs: 5_000, env });
const errors = (yaml: string, env: NodeJS.ProcessEnv = {}) => {
  const r = parse(yaml, env);
  return r.ok ? [] : r.errors;
};

describe('the checks input', () => {
  it('reads all four check types with their defaults', () => {
    const result = parse(`
- type: http
  url: https://shop.example.com/health
  method: HEAD
  body-matches: '"status":\\s*"ok"'
  max-latency: 800ms
  redirects: none
- type: tcp
  host: db.internal
  port: 5432
  timeout: 1s
- type: command
  name: smoke
  run: ./smoke-test.sh --quick
- type: prometheus
  name: error-rate
  url: http://prometheus:9090
  query: sum(rate(http_requests_total{code=~"5.."}[1m]))
  max-ratio-to-baseline: 2
  baseline-floor: 0.01
`);
    expect(result).toEqual({
      ok: true,
      secrets: [],
      checks: [
        { type: 'http', name: 'http 1', timeoutMs: 5_000, url: 'https://shop.example.com/health', method: 'HEAD', headers: {}, statusRanges: [[200, 299]], redirects: 'none', bodyMatches: '"status":\\s*"ok"', maxLatencyMs: 800 },
        { type: 'tcp', name: 'tcp 2', timeoutMs: 1_000, host: 'db.internal', port: 5432 },
        { type: 'command', name: 'smoke', timeoutMs: 5_000, run: './smoke-test.sh --quick' },
        { type: 'prometheus', name: 'error-rate', timeoutMs: 5_000, url: 'http://prometheus:9090', query: 'sum(rate(http_requests_total{code=~"5.."}[1m]))', onNoData: 'inconclusive', maxRatioToBaseline: 2, baselineFloor: 0.01 },
      ],
    });
  });

  it('reads header secrets from the environment and returns them for masking', () => {
    const result = parse('- type: http\n  url: https://u:p%40ss@e.com/h\n  headers:\n    Authorization: {env: HEALTH_TOKEN}\n    X-Plain: yes\n', { HEALTH_TOKEN: 'Bearer s3cret' });
    expect(result.ok && result.checks[0]).toMatchObject({ headers: { Authorization: 'Bearer s3cret', 'X-Plain': 'yes' } });
    // The header value and its token alone; the URL's password as written and decoded, and the Basic credentials sent for it.
    expect(result.ok && result.secrets).toEqual(['Bearer s3cret', 's3cret', 'p%40ss', 'p@ss', Buffer.from('u:p@ss').toString('base64')]);
  });

  it('names the index and field of every mistake', () => {
    expect(
      errors(`
- type: tcp
  host: db
  port: 70000
- type: prometheus
  url: http://p:9090
  query: up
- type: prometheus
  url: http://p:9090
  query: up
  max-ratio-to-baseline: 2
- type: http
  url: https://e.com
  headers: {Authorization: {env: MISSING}}
- type: http
  url: https://e.com
  body-matches: '(['
`),
    ).toEqual([
      'checks[0].port: Too big: expected number to be <=65535',
      'checks[1]: needs a bound: max, min, max-ratio-to-baseline or min-ratio-to-baseline',
      expect.stringMatching(/^checks\[2\]\.baseline-floor: is required with a ratio bound/),
      'checks[3].headers.Authorization: environment variable MISSING is not set; pass it with env: on the step',
      'checks[4].body-matches: must be a valid regular expression',
    ]);
  });

  it('describes each check for the plan without credentials', () => {
    const result = parse('- type: http\n  url: https://user:hunter2@e.com/h\n- type: prometheus\n  url: http://p:9090\n  query: up\n  min: 1\n');
    if (!result.ok) throw new Error(result.errors.join());
    const lines = result.checks.map(describeCheck);
    expect(lines[0]).toBe('GET https://***@e.com/h expects status 200-299; redirects: same-host; timeout 5s');
    expect(lines[1]).toBe('Prometheus http://p:9090/ query "up" >= 1; no data: inconclusive; timeout 5s');
    const plan = planText({
      environment: 'production',
      sha: 'abc',
      knownGoodSha: undefined,
      healthWindowMs: 300_000,
      healthIntervalMs: 10_000,
      healthInitialDelayMs: 0,
      failureThreshold: 3,
      maxFailedRounds: 3,
      inconclusiveThreshold: 0,
      dryRun: false,
      checks: result.checks,
    });
    expect(plan).not.toContain('hunter2');
    expect(plan).toContain('a round every 10s for 5m (31 rounds); 3 consecutive failed rounds, or more than 3 failed rounds in all make it unhealthy.');
    expect(plan).toContain('Worst case from a failure to the verdict that starts the rollback: 35s.');
  });
});
