// Durations past Node's timers (issue 12, Medium 7), through dist/ as the runner runs it: a
// setTimeout longer than 2^31 - 1 ms (about 596 hours) fires after 1 ms, so `deploy-timeout: 700h`
// killed the deploy command at once. Every duration input now has a maximum, and a longer value is
// an input error naming the input, the value and the maximum, before anything is changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

let s: Scenario;
beforeEach(async () => {
  s = await startScenario();
  await s.commit({ version: 'v1' });
});
afterEach(async () => {
  await s?.close();
});

describe('a duration longer than its maximum', () => {
  it('is an input error naming the input, the value and the maximum, and nothing is deployed', async () => {
    const { main } = await s.deploy({ inputs: { 'deploy-timeout': '700h', 'health-window': '600h', 'health-initial-delay': '2h' } });
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('Input "deploy-timeout": "700h" is longer than the maximum, 24h');
    expect(main.stdout).toContain('Input "health-window": "600h" is longer than the maximum, 24h');
    expect(main.stdout).toContain('Input "health-initial-delay": "2h" is longer than the maximum, 1h');
    expect(main.stderr).not.toContain('TimeoutOverflowWarning');
    expect(await githubView(s.github).deployments()).toEqual([]);
    expect(await s.service.currentVersion()).toBeUndefined();
  });

  it('a check timeout past its maximum too', async () => {
    const { main } = await s.deploy({ inputs: { 'health-url': '', checks: `- type: command\n  run: 'true'\n  timeout: 700h`, 'health-interval': '1h', 'health-window': '1h' } });
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('Input "checks": checks[0].timeout: "700h" is longer than the maximum, 1h');
  });

  it('the maximum itself is accepted, and the deploy command is not cut short', async () => {
    const { main } = await s.deploy({ inputs: { 'deploy-timeout': '24h' } });
    expect(main.outputs.result, main.stdout).toBe('deployed');
    expect(main.stderr).not.toContain('TimeoutOverflowWarning');
  });
});
