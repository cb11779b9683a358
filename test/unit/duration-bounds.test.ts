// Every duration input has a maximum far below what Node's timers hold (2^31 - 1 ms, about 596
// hours; a longer delay fires after 1 ms), named in the error with the input and the value.
import { describe, expect, it } from 'vitest';
import { parseChecks } from '../../src/health/checks-input.ts';
import { DURATION_MAX_MS, parseDuration, TIMER_MAX_MS } from '../../src/core/duration.ts';
import { apiTimeoutFrom, DEFAULT_API_TIMEOUT_MS } from '../../src/github/request-timeout.ts';
import { readSettings, type InputName } from '../../src/settings.ts';

const HOUR = 3_600_000;

describe('parseDuration with a maximum', () => {
  it('accepts the maximum itself and refuses anything longer, naming value and maximum', () => {
    expect(parseDuration('24h', 24 * HOUR)).toEqual({ ok: true, ms: 24 * HOUR });
    expect(parseDuration('1440m', 24 * HOUR)).toEqual({ ok: true, ms: 24 * HOUR });
    expect(parseDuration('24.01h', 24 * HOUR)).toEqual({ ok: false, error: '"24.01h" is longer than the maximum, 24h' });
    expect(parseDuration('3601s', HOUR)).toEqual({ ok: false, error: '"3601s" is longer than the maximum, 1h' });
  });

  it('never returns more than a Node timer holds, even without a maximum', () => {
    expect(TIMER_MAX_MS).toBe(2_147_483_647);
    expect(parseDuration('596h')).toMatchObject({ ok: true });
    expect(parseDuration('597h')).toEqual({ ok: false, error: '"597h" is longer than the maximum, 596h31m' });
    expect(parseDuration('99999999999999999999h')).toMatchObject({ ok: false });
  });

  it('keeps every maximum, and the longest watch they allow, inside a timer', () => {
    for (const max of Object.values(DURATION_MAX_MS)) expect(max).toBeLessThan(TIMER_MAX_MS);
    // Warm-up, the window, a failure streak past it, and the lock's abandonment age (claim.ts: twice the deploy timeout plus delay and window).
    const worst = 2 * DURATION_MAX_MS['deploy-timeout'] + DURATION_MAX_MS['health-initial-delay'] + 2 * DURATION_MAX_MS['health-window'];
    expect(worst).toBeLessThan(TIMER_MAX_MS);
  });
});

describe('duration inputs', () => {
  const read = (inputs: Partial<Record<InputName, string>>) =>
    readSettings((name) => ({ 'github-token': 't', 'deploy-command': 'true', 'health-url': 'http://127.0.0.1/', ...inputs })[name] ?? '', {});
  const errorsOf = async (inputs: Partial<Record<InputName, string>>) => {
    const result = await read(inputs);
    return result.ok ? [] : result.errors;
  };

  it.each([
    ['health-window', '25h', '24h'],
    ['deploy-timeout', '700h', '24h'],
    ['health-initial-delay', '61m', '1h'],
  ] as const)('%s: %s is refused, the maximum is %s', async (input, value, max) => {
    expect(await errorsOf({ [input]: value })).toEqual([`Input "${input}": "${value}" is longer than the maximum, ${max}`]);
  });

  it('health-interval and request-timeout have a maximum of 1h', async () => {
    expect(await errorsOf({ 'health-window': '24h', 'health-interval': '2h', 'request-timeout': '90m' })).toEqual([
      'Input "health-interval": "2h" is longer than the maximum, 1h',
      'Input "request-timeout": "90m" is longer than the maximum, 1h',
    ]);
  });

  it('accepts every maximum', async () => {
    const result = await read({ 'health-window': '24h', 'health-interval': '1h', 'request-timeout': '1h', 'deploy-timeout': '24h', 'health-initial-delay': '1h' });
    expect(result).toMatchObject({ ok: true, settings: { healthWindowMs: 24 * HOUR, deployTimeoutMs: 24 * HOUR, healthIntervalMs: HOUR, requestTimeoutMs: HOUR, healthInitialDelayMs: HOUR } });
  });

  it("a check's timeout and max-latency have a maximum of 1h", () => {
    const parsed = parseChecks('- type: http\n  url: http://127.0.0.1/\n  timeout: 2h\n  max-latency: 900h', { defaultTimeoutMs: 1_000, env: {} });
    expect(parsed).toEqual({
      ok: false,
      errors: ['checks[0].timeout: "2h" is longer than the maximum, 1h', 'checks[0].max-latency: "900h" is longer than the maximum, 1h'],
    });
    expect(parseChecks('- type: tcp\n  host: db\n  port: 1\n  timeout: 1h', { defaultTimeoutMs: 1_000, env: {} })).toMatchObject({ ok: true });
    expect(parseChecks('- type: tcp\n  host: db\n  port: 1\n  timeout: soon', { defaultTimeoutMs: 1_000, env: {} })).toEqual({
      ok: false,
      errors: ['checks[0].timeout: must be a duration such as 500ms, 5s or 1m'],
    });
  });
});

describe('DEPLOY_GUARD_API_TIMEOUT', () => {
  it('defaults to 30s, takes a duration up to 10m, and falls back with a warning otherwise', () => {
    expect(apiTimeoutFrom({})).toEqual({ ms: DEFAULT_API_TIMEOUT_MS });
    expect(DEFAULT_API_TIMEOUT_MS).toBe(30_000);
    expect(apiTimeoutFrom({ DEPLOY_GUARD_API_TIMEOUT: '2s' })).toEqual({ ms: 2_000 });
    expect(apiTimeoutFrom({ DEPLOY_GUARD_API_TIMEOUT: '11m' })).toEqual({ ms: 30_000, warning: 'DEPLOY_GUARD_API_TIMEOUT: "11m" is longer than the maximum, 10m; using 30s' });
    expect(apiTimeoutFrom({ DEPLOY_GUARD_API_TIMEOUT: 'never' }).warning).toMatch(/^DEPLOY_GUARD_API_TIMEOUT: "never" is not a duration/);
  });
});
