// The `stages` input: read into Settings.stages through the whole inputs schema, and every way it
// can be wrong named with the input, the entry and the fix.
import { describe, expect, it } from 'vitest';
import { readSettings, type InputName } from '../../src/settings.ts';

const staged: Partial<Record<InputName, string>> = {
  'github-token': 'ghs_x',
  'rollback-command': './rollback.sh',
  'health-url': 'http://127.0.0.1:8080/health',
};
const read = (inputs: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = {}) => readSettings((name) => inputs[name] ?? '', env);

async function errorsOf(stages: string, more: Partial<Record<InputName, string>> = {}): Promise<string[]> {
  const result = await read({ ...staged, stages, ...more });
  return result.ok ? [] : result.errors;
}

const TWO = `
- name: canary
  command: ./deploy.sh canary
  window: 5m
  checks:
    - type: http
      name: canary-health
      url: http://127.0.0.1:8081/health
      headers:
        Authorization: { env: CANARY_TOKEN }
- name: all hosts
  command: ./deploy.sh all
  window: 0s
`;

describe('the stages input', () => {
  it('reads each stage with its own checks, or the top-level ones, and keeps their secrets', async () => {
    const result = await read({ ...staged, stages: TWO }, { CANARY_TOKEN: 'Bearer s3cret-canary' });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const { stages, checks, secrets, rollbackCommand } = result.settings;
    expect(stages?.map((s) => ({ name: s.name, command: s.command, windowMs: s.windowMs, checks: s.checks.map((c) => c.name) }))).toEqual([
      { name: 'canary', command: './deploy.sh canary', windowMs: 300_000, checks: ['canary-health'] },
      { name: 'all hosts', command: './deploy.sh all', windowMs: 0, checks: ['health-url'] },
    ]);
    expect(stages![1]!.checks).toEqual(checks);
    // A stage's check gets request-timeout as its default timeout, like any other.
    expect(stages![0]!.checks[0]!.timeoutMs).toBe(5_000);
    expect(secrets).toEqual(expect.arrayContaining(['Bearer s3cret-canary', 's3cret-canary']));
    expect(rollbackCommand).toBe('./rollback.sh');
  });

  it('changes nothing when it is not given', async () => {
    const result = await read({ ...staged, 'deploy-command': './deploy.sh' });
    expect(result.ok && result.settings.stages).toBeUndefined();
  });

  it.each([
    ['not YAML', '- name: [', /^Input "stages": is not valid YAML: /],
    ['not a list', 'name: canary', /must be a YAML list of stages, each with a name, a command and a window/],
    ['an empty list', '[]', /must be a YAML list of stages/],
    ['too many stages', Array.from({ length: 11 }, (_, i) => `- { name: s${i}, command: x, window: 1m }`).join('\n'), /lists 11 stages; at most 10 are allowed/],
    ['a missing command', '- { name: canary, window: 1m }', /stages\[0\]\.command: must be the bash command that deploys this stage/],
    ['an empty command', '- { name: canary, command: "", window: 1m }', /stages\[0\]\.command: must not be empty/],
    ['a window YAML reads as a number', '- { name: canary, command: x, window: 5 }', /stages\[0\]\.window: must be a duration such as 30s, 5m or 1h \(quote it if YAML reads it as a number\)/],
    ['a window that is not a duration', '- { name: canary, command: x, window: soon }', /stages\[0\]\.window: "soon" is not a duration/],
    ['a window too long', '- { name: canary, command: x, window: 25h }', /stages\[0\]\.window: "25h" is longer than the maximum, 24h/],
    ['a name with a newline or a backtick', '- { name: "can`ary", command: x, window: 1m }', /stages\[0\]\.name: must be letters, digits and \. _ % \+ -/],
    ['a name too long', `- { name: ${'a'.repeat(41)}, command: x, window: 1m }`, /stages\[0\]\.name: must be at most 40 characters/],
    ['an unknown field', '- { name: canary, command: x, window: 1m, weight: 10 }', /stages\[0\]: Unrecognized key: "weight"/],
    ['a bad check of a stage', '- { name: canary, command: x, window: 1m, checks: [{ type: tcp, host: db, port: 70000 }] }', /^Input "stages": stages\[0\]\.checks\[0\]\.port: Too big/],
    ['checks that are not a list', '- { name: canary, command: x, window: 1m, checks: { type: tcp } }', /stages\[0\]\.checks: must be a YAML list of checks/],
    ['an empty list of checks', '- { name: canary, command: x, window: 1m, checks: [] }', /stages\[0\]\.checks: is empty; leave it out to watch this stage with the top-level checks/],
    ['a stage whose checks all only warn', '- { name: canary, command: x, window: 1m, checks: [{ type: tcp, host: db, port: 5432, on-failure: warn }] }', /^Input "stages": stage "canary": every check is on-failure: warn/],
  ])('refuses %s, naming the input and the entry', async (_what, stages, expected) => {
    const errors = await errorsOf(stages);
    expect(errors.some((e) => e.startsWith('Input "stages": ') && expected.test(e)), errors.join('\n')).toBe(true);
  });

  it('names a duplicate stage even beside an entry with other errors', async () => {
    const errors = await errorsOf('- { name: canary, command: x, window: soon }\n- { name: canary, command: y, window: 1m }');
    expect(errors).toContain('Input "stages": two stages are named "canary"; give each stage its own name');
  });

  it('replaces deploy-command, and needs rollback-command, in deploy mode', async () => {
    const result = await read({ 'github-token': 'ghs_x', 'health-url': 'http://127.0.0.1:8080/health', 'deploy-command': './deploy.sh', stages: '- { name: all, command: x, window: 1m }' });
    expect(result.ok ? [] : result.errors).toEqual([
      'Input "rollback-command": is required with stages: the bash command that puts the known-good version back everywhere (it is told the stage that failed in DEPLOY_GUARD_FAILED_STAGE)',
      'Input "stages": replaces deploy-command: each stage runs its own command; remove deploy-command (or stages, for a deploy in one step)',
    ]);
    // Another mode does not read it: a workflow may pass the same inputs to every mode.
    const rollback = await read({ ...staged, mode: 'rollback', reason: 'drill', 'deploy-command': './deploy.sh', stages: '- { name: all, command: x, window: 1m }' });
    expect(rollback.ok ? [] : rollback.errors).toEqual([]);
  });

  it('holds a stage to the rules of health-window and checks', async () => {
    const errors = await errorsOf(
      '- { name: canary, command: x, window: 5s, checks: [{ type: tcp, host: db, port: 5432, timeout: 20s }] }\n' +
        '- { name: all, command: x, window: 1m, checks: [{ type: http, url: "http://169.254.169.254/latest" }] }',
      { 'health-interval': '10s' },
    );
    expect(errors).toEqual([
      'Input "stages": stage "canary": window 5s is shorter than health-interval 10s; the window would hold a single round',
      'Input "stages": stage "canary": check "tcp 1" has a timeout longer than health-interval 10s; a round must be able to finish before the next one is due',
      expect.stringMatching(/^Input "stages": stage "all", check "http 1": .*; set health-allow-link-local: true to check it$/),
    ]);
  });
});
