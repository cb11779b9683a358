import { describe, expect, it } from 'vitest';
import { parseStatusRanges } from '../../src/core/http-spec.ts';
import { INPUT_NAMES, readSettings, type InputName } from '../../src/settings.ts';

const base: Partial<Record<InputName, string>> = {
  'github-token': 'ghs_x',
  'deploy-command': './deploy.sh',
  'health-url': 'http://127.0.0.1:8080/health',
};
const read = (inputs: Partial<Record<InputName, string>>) => readSettings((name) => inputs[name] ?? '');

async function errorsOf(inputs: Partial<Record<InputName, string>>): Promise<string[]> {
  const result = await read(inputs);
  return result.ok ? [] : result.errors;
}

describe('settings', () => {
  it('applies the documented defaults', async () => {
    const result = await read(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toMatchObject({
      mode: 'deploy',
      environment: 'production',
      healthWindowMs: 300_000,
      healthIntervalMs: 10_000,
      failureThreshold: 3,
      requestTimeoutMs: 5_000,
      deployTimeoutMs: 1_800_000,
      tagPrefix: 'deploy-guard',
      incidentLabel: 'deploy-incident',
      rollbackCommand: './deploy.sh',
    });
    expect(result.settings.checks).toEqual([
      {
        type: 'http',
        name: 'health-url',
        url: 'http://127.0.0.1:8080/health',
        method: 'GET',
        headers: {},
        statusRanges: [[200, 299]],
        redirects: 'same-host',
        timeoutMs: 5_000,
      },
    ]);
  });

  it('reports every bad input at once, each by name', async () => {
    const errors = await errorsOf({
      ...base,
      environment: 'prod env',
      'health-window': '5 minutes',
      'failure-threshold': '0',
      mode: 'yolo',
    });
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toMatch(/Input "environment"/);
    expect(errors.join('\n')).toMatch(/Input "health-window": "5 minutes" is not a duration/);
    expect(errors.join('\n')).toMatch(/Input "failure-threshold"/);
    expect(errors.join('\n')).toMatch(/Input "mode": "yolo" is not a mode; use one of deploy, rollback, gate, status, lock, unlock, mark-known-good/);
  });

  it('requires a deploy command and a health check in deploy mode, but not in gate mode', async () => {
    const errors = await errorsOf({ 'github-token': 't' });
    expect(errors).toEqual([
      expect.stringMatching(/^Input "deploy-command": is required in deploy mode/),
      expect.stringMatching(/^Input "health-url": deploy mode needs health-url or checks/),
    ]);
    expect((await read({ 'github-token': 't', mode: 'gate' })).ok).toBe(true);
  });

  it('takes a zero-length health window as one round, whatever the interval', async () => {
    const result = await read({ ...base, 'health-window': '0s' });
    expect(result.ok && result.settings.healthWindowMs).toBe(0);
    expect(result.ok && result.settings.healthIntervalMs).toBe(10_000);
  });

  it('refuses an unknown incident-closer-role', async () => {
    expect(await errorsOf({ ...base, 'incident-closer-role': 'owner' })).toEqual([
      'Input "incident-closer-role": "owner" is not a repository role; use one of read, triage, write, maintain, admin, or leave it empty',
    ]);
  });

  it('refuses an empty or unexpanded token', async () => {
    expect(await errorsOf({ ...base, 'github-token': '' })).toEqual([expect.stringMatching(/^Input "github-token": is empty/)]);
  });

  it('refuses an interval longer than the window and a request timeout longer than the interval', async () => {
    expect(await errorsOf({ ...base, 'health-window': '5s', 'health-interval': '10s' })).toEqual([
      expect.stringMatching(/^Input "health-interval": 10s is longer than health-window 5s/),
    ]);
    expect(await errorsOf({ ...base, 'health-interval': '2s' })).toEqual([
      expect.stringMatching(/^Input "request-timeout": 5s is longer than health-interval 2s/),
    ]);
  });

  it('reads a YAML list of http checks', async () => {
    const result = await read({
      ...base,
      'health-url': '',
      checks: '- type: http\n  name: api\n  url: https://example.com/health\n  expect-status: 200-299,304\n  body-contains: ok\n  timeout: 2s\n',
    });
    expect(result.ok && result.settings.checks).toEqual([
      {
        type: 'http',
        name: 'api',
        url: 'https://example.com/health',
        method: 'GET',
        headers: {},
        statusRanges: [[200, 299], [304, 304]],
        redirects: 'same-host',
        bodyContains: 'ok',
        timeoutMs: 2_000,
      },
    ]);
  });

  it('names the index and field of a bad check', async () => {
    const errors = await errorsOf({
      ...base,
      checks: '- type: http\n  url: https://example.com\n- type: http\n  url: ftp://x\n  timeout: soon\n- type: smtp\n',
    });
    expect(errors).toEqual([
      'Input "checks": checks[1].timeout: must be a duration such as 500ms, 5s or 1m',
      'Input "checks": checks[1].url: must be a full http:// or https:// URL',
      'Input "checks": checks[2].type: type must be one of: http, tcp, command, prometheus',
    ]);
  });

  it('refuses unknown check fields, so a typo is not silently ignored', async () => {
    expect(await errorsOf({ ...base, checks: '- type: http\n  url: https://e.com\n  expect_status: 200\n' })).toEqual([
      expect.stringMatching(/^Input "checks": checks\[0\]: .*expect_status/),
    ]);
  });

  it('refuses checks that are not a YAML list', async () => {
    expect(await errorsOf({ ...base, checks: 'type: http' })).toEqual([expect.stringMatching(/must be a YAML list/)]);
    expect(await errorsOf({ ...base, checks: '- [unclosed' })).toEqual([expect.stringMatching(/is not valid YAML/)]);
  });

  it('refuses a health-url that is not http(s)', async () => {
    expect(await errorsOf({ ...base, 'health-url': 'localhost:8080' })).toEqual([expect.stringMatching(/^Input "health-url": "localhost:8080"/)]);
  });
});

describe('parseStatusRanges', () => {
  it('reads single codes, ranges and lists', async () => {
    expect(parseStatusRanges(200)).toEqual([[200, 200]]);
    expect(parseStatusRanges('200-299, 304')).toEqual([[200, 299], [304, 304]]);
  });
  it.each(['2xx', '299-200', '99', '600', ''])('refuses %j', async (spec) => {
    expect(typeof parseStatusRanges(spec)).toBe('string');
  });
});

describe('every input refuses its bad values, by name, before anything runs', () => {
  const cases: Array<[InputName, string, RegExp]> = [
    ['mode', 'deploy;rm', /is not a mode/],
    ['environment', '../prod', /may contain only|must not/],
    ['environment', 'prod$(id)', /may contain only/],
    ['environment', 'x.lock', /must not end with/],
    ['github-token', '${{ github.token }}', /is empty/],
    ['health-url', 'file:///etc/passwd', /must be an http/],
    ['health-url', 'not a url', /is not a URL/],
    ['checks', '{type: http}', /must be a YAML list/],
    ['checks', '- type: http\n  url: https://e.com\n  timeout: 11s', /timeout longer than health-interval/],
    ['health-window', '-5m', /is not a duration/],
    ['health-interval', '0s', /must be longer than zero/],
    ['health-initial-delay', 'soon', /is not a duration/],
    ['request-timeout', '1d', /is not a duration/],
    ['deploy-timeout', '30', /is not a duration/],
    ['failure-threshold', '2.5', /whole number of rounds, 1 or more/],
    ['max-failed-rounds', 'many', /whole number of rounds, 0 or more/],
    ['inconclusive-threshold', '-1', /whole number of rounds, 0 or more/],
    ['tag-prefix', 'refs/../x', /must|"\.\."/],
    ['tag-prefix', 'a b', /must be one or more/],
    ['incident-label', 'x'.repeat(51), /1 to 50 characters/],
    ['incident-closer-role', 'root', /is not a repository role/],
    ['rollback-to', 'abc', /only used in rollback mode/],
    ['force', 'yes', /must be true or false/],
    ['dry-run', '1', /must be true or false/],
    ['require-postmortem', 'yes', /must be true, false or a severity \(low, medium, high, critical\)/],
    ['incident-repository', 'acme', /is not a repository; write owner\/name, e\.g\. acme\/ops/],
    ['incident-repository', 'acme/ops/x', /is not a repository/],
    ['incident-repository', '-acme/ops', /is not a repository/],
    ['incident-repository', 'acme/..', /is not a repository/],
    ['severity', 'urgent', /"urgent" is not a severity; use one of low, medium, high, critical/],
    ['severity', 'high', /is only used in rollback mode \(mode is deploy\)/],
    ['notify-webhook', 'hooks.example.com/T0/SECRET', /is not an http\(s\) URL/],
    ['notify-format', 'teams', /is not a format; use one of slack, discord, json/],
    ['sha', 'abc1234', /only used in mark-known-good mode \(mode is deploy\)/],
    ['period', '2y', /"2y" is not a period; write a number of days from 1d to 365d, e\.g\. 30d or 90d/],
    ['period', '366d', /is not a period; write a number of days from 1d to 365d/],
    ['period', '0d', /is not a period/],
    ['period', '30', /is not a period/],
  ];
  it.each(cases)('%s = %j', async (input, value, message) => {
    const errors = await errorsOf({ ...base, [input]: value });
    expect(errors.some((e) => e.startsWith(`Input "${input}": `) && message.test(e)), errors.join('\n')).toBe(true);
  });

  it('never echoes a bad webhook URL (it is a secret), and masks a good one', async () => {
    const errors = await errorsOf({ ...base, 'notify-webhook': 'ftp://hooks.example.com/T0/SECRET' });
    expect(errors.join('\n')).not.toContain('SECRET');
    const ok = await read({ ...base, 'notify-webhook': 'https://hooks.example.com/T0/SECRET', 'notify-format': 'slack' });
    expect(ok.ok && ok.settings.notify).toEqual({ url: 'https://hooks.example.com/T0/SECRET', format: 'slack' });
    expect(ok.ok && ok.settings.secrets).toContain('https://hooks.example.com/T0/SECRET');
  });

  it('lock and unlock need only a reason; mark-known-good a health check, and no deploy command', async () => {
    for (const mode of ['lock', 'unlock']) {
      expect(await errorsOf({ 'github-token': 't', mode })).toEqual([`Input "reason": is required in ${mode} mode: say why, it goes on the lock issue`]);
      expect(await errorsOf({ 'github-token': 't', mode, reason: 'migrating the orders table' })).toEqual([]);
    }
    expect(await errorsOf({ 'github-token': 't', mode: 'mark-known-good' })).toEqual([
      'Input "health-url": mark-known-good mode needs health-url or checks: without a health check nothing can show what runs is healthy',
    ]);
    const marked = await read({ 'github-token': 't', mode: 'mark-known-good', 'health-url': 'https://e.com', sha: '0123456789ABCDEF0123456789abcdef01234567' });
    expect(marked.ok && marked.settings.sha).toBe('0123456789abcdef0123456789abcdef01234567');
  });

  it('drill mode needs the deploy command and a health check, and refuses dry-run', async () => {
    expect(await errorsOf({ 'github-token': 't', mode: 'drill' })).toEqual([
      'Input "deploy-command": is required in drill mode: the forward leg runs it in a checkout of known-good (and the back leg too, without rollback-command)',
      'Input "health-url": drill mode needs health-url or checks: without a health check nothing can show the drill is healthy',
    ]);
    expect(await errorsOf({ ...base, mode: 'drill', 'dry-run': 'true' })).toEqual([
      'Input "dry-run": is not used in drill mode: a drill really deploys, and never moves known-good anyway',
    ]);
    const drill = await read({ ...base, mode: 'drill', 'rollback-command': './rollback.sh' });
    expect(drill.ok && [drill.settings.mode, drill.settings.deployCommand, drill.settings.rollbackCommand]).toEqual(['drill', './deploy.sh', './rollback.sh']);
  });

  it('sha is a full commit SHA: a short one and a branch name are refused, naming the fix', async () => {
    const mark = { 'github-token': 't', mode: 'mark-known-good', 'health-url': 'https://e.com' };
    expect(await errorsOf({ ...mark, sha: 'abc1234' })).toEqual(['Input "sha": "abc1234" looks like a short SHA; give the full 40-character commit SHA (git rev-parse abc1234)']);
    expect(await errorsOf({ ...mark, sha: 'main' })).toEqual([
      'Input "sha": "main" is not a commit SHA; give the full 40-character SHA of the commit that runs now, or leave it empty for the checked-out commit',
    ]);
  });

  it('rollback mode needs a reason and a command', async () => {
    expect(await errorsOf({ 'github-token': 't', mode: 'rollback', 'health-url': 'https://e.com' })).toEqual([
      expect.stringMatching(/^Input "rollback-command": is required in rollback mode/),
      expect.stringMatching(/^Input "reason": is required in rollback mode/),
    ]);
  });
});

describe('the inputs schema', () => {
  // A value for each input that differs from rollbackBase's; a Record, so a new input needs one here.
  const rollbackBase: Partial<Record<InputName, string>> = {
    ...base,
    mode: 'rollback',
    reason: 'bad release',
    'notify-webhook': 'https://hooks.example.com/T0/first',
  };
  const another: Record<InputName, string> = {
    mode: 'deploy',
    environment: 'staging',
    'github-token': 'ghs_other',
    'deploy-command': './other.sh',
    'rollback-command': './rollback.sh',
    'health-url': 'http://127.0.0.1:9090/health',
    checks: '- type: tcp\n  host: db\n  port: 5432\n',
    'health-window': '10m',
    'health-interval': '20s',
    'health-initial-delay': '5s',
    'failure-threshold': '5',
    'max-failed-rounds': '2',
    'inconclusive-threshold': '2',
    'request-timeout': '2s',
    'health-checks-use-proxy': 'false',
    'health-allow-link-local': 'true',
    'deploy-timeout': '10m',
    'tag-prefix': 'dg',
    'incident-label': 'incident',
    'incident-closer-role': 'admin',
    'require-postmortem': 'true',
    'incident-repository': 'acme/ops',
    'notify-webhook': 'https://hooks.example.com/T0/second',
    'notify-format': 'slack',
    'dry-run': 'true',
    'rollback-to': 'deploy-guard/production/deploy-1-1',
    reason: 'another reason',
    force: 'true',
    'take-over': 'true',
    severity: 'critical',
    'deploy-windows': 'Mon-Fri 09:00-17:00',
    'deploy-freezes': '2026-12-24..2026-12-26 Holiday freeze',
    'time-zone': 'Europe/Berlin',
    'override-reason': 'the fix for the outage',
    'require-proven-in': 'staging',
    sha: '0123456789abcdef0123456789abcdef01234567',
    period: '90d',
    stages: '- name: all\n  command: ./all.sh\n  window: 1m\n',
    'before-rollback-command': './maintenance.sh on',
    'after-rollback-command': './maintenance.sh off',
    'rollback-attempts': '3',
    'rollback-backoff': '30s',
  };
  // sha is read in mark-known-good mode only (elsewhere it is refused).
  const baseOf = (name: InputName): Partial<Record<InputName, string>> => (name === 'sha' ? { ...rollbackBase, mode: 'mark-known-good' } : rollbackBase);

  it('reads every input of the registry, and each one changes the settings', async () => {
    const asked: InputName[] = [];
    const before = await readSettings((name) => {
      asked.push(name);
      return rollbackBase[name] ?? '';
    });
    expect(asked).toEqual(INPUT_NAMES);
    if (!before.ok) throw new Error(before.errors.join('\n'));
    for (const name of INPUT_NAMES) {
      const start = name === 'sha' ? await read(baseOf(name)) : before;
      if (!start.ok) throw new Error(start.errors.join('\n'));
      const after = await read({ ...baseOf(name), [name]: another[name] });
      if (!after.ok) throw new Error(`${name}: ${after.errors.join('\n')}`);
      expect(after.settings, name).not.toEqual(start.settings);
    }
  });

  it('reports a refused input together with the rules between inputs it would have met', async () => {
    expect(await errorsOf({ ...base, mode: 'yolo', 'take-over': 'true' })).toEqual([
      'Input "mode": "yolo" is not a mode; use one of deploy, rollback, gate, status, lock, unlock, mark-known-good, drill',
      'Input "take-over": is only used in rollback mode (mode is yolo)',
    ]);
  });

  it('lists the errors in action.yml\'s order, whether an input\'s own or between inputs', async () => {
    const errors = await errorsOf({
      'github-token': 't',
      mode: 'rollback',
      force: 'maybe',
      checks: '- type: http\n  url: https://e.com\n  timeout: soon\n- type: http\n  url: http://169.254.169.254/\n  timeout: 3s\n',
      'health-interval': '2s',
      environment: 'a b',
    });
    expect(errors.map((e) => e.slice(0, e.indexOf(':', 8)))).toEqual([
      'Input "environment"',
      'Input "rollback-command"',
      'Input "checks"',
      'Input "request-timeout"',
      'Input "reason"',
      'Input "force"',
    ]);
    expect(errors[2]).toBe('Input "checks": checks[0].timeout: must be a duration such as 500ms, 5s or 1m');
  });

  it('judges the checks against the other inputs once the checks themselves are valid', async () => {
    const errors = await errorsOf({
      ...base,
      'health-url': '',
      'health-interval': '2s',
      'request-timeout': '1s',
      checks: '- type: http\n  name: meta\n  url: http://169.254.169.254/\n  timeout: 3s\n- type: http\n  name: meta\n  url: https://e.com\n',
    });
    expect(errors).toEqual(['Input "checks": two checks are named "meta"; give each check its own name']);
    expect(
      await errorsOf({ ...base, 'health-url': '', 'health-interval': '2s', 'request-timeout': '1s', checks: '- type: http\n  name: meta\n  url: http://169.254.169.254/\n  timeout: 3s\n' }),
    ).toEqual([
      'Input "checks": check "meta" has a timeout longer than health-interval 2s; a round must be able to finish before the next one is due',
      expect.stringMatching(/^Input "checks": check "meta": 169\.254\.169\.254 .*; set health-allow-link-local: true to check it$/),
    ]);
  });
});
