// The token never reaches what git runs (issue 12, Medium 5), through dist/ as the runner runs it:
// a deploy command writes a post-checkout hook, an fsmonitor command and a smudge filter into the
// workspace's .git, each dumping its environment; the rollback's `git worktree add` must run no
// hook and no fsmonitor, and the filter it cannot avoid running must not see the token.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, TOKEN, type Scenario } from '../support/deploy-scenario.ts';

let s: Scenario;
beforeEach(async () => {
  s = await startScenario();
});
afterEach(async () => {
  await s?.close();
});

const exists = (path: string): Promise<boolean> => access(path).then(
  () => true,
  () => false,
);

/** Bash that plants the three environment dumps in the workspace's .git, then deploys. */
function plantingDeployCommand(stateDir: string): string {
  return [
    'set -euo pipefail',
    `state=${JSON.stringify(stateDir)}`,
    'hooks="$(git rev-parse --git-path hooks)"; mkdir -p "$hooks"',
    `printf '#!/bin/sh\\nenv > "%s/post-checkout.env"\\n' "$state" > "$hooks/post-checkout"`,
    'chmod +x "$hooks/post-checkout"',
    `printf '#!/bin/sh\\nenv > "%s/fsmonitor.env"\\n' "$state" > "$state/fsmonitor.sh"`,
    'chmod +x "$state/fsmonitor.sh"',
    'git config core.fsmonitor "$state/fsmonitor.sh"',
    `git config filter.dump.smudge "env > '$state/smudge.env'; cat"`,
    'info="$(git rev-parse --git-path info)"; mkdir -p "$info"; echo "* filter=dump" >> "$info/attributes"',
    'bash deploy.sh',
  ].join('\n');
}

/** v1 deployed; v2, whose deploy command plants the dumps, fails its health window and is rolled back. */
async function rollBackAfterPlanting(): Promise<void> {
  await s.commit({ version: 'v1' });
  expect((await s.deploy()).main.outputs.result).toBe('deployed');
  await s.commit({ version: 'v2', health: 'fail' });
  const { main } = await s.deploy({ inputs: { 'deploy-command': plantingDeployCommand(s.stateDir), 'rollback-command': 'bash deploy.sh' } });
  expect(main.outputs.result, main.stdout).toBe('rolled-back');
  expect(await s.service.currentVersion()).toBe('v1');
}

describe('git in a rollback', () => {
  it('runs no hook and no fsmonitor command the deploy command wrote into .git', async () => {
    await rollBackAfterPlanting();
    expect(await exists(join(s.stateDir, 'post-checkout.env')), 'the post-checkout hook ran').toBe(false);
    expect(await exists(join(s.stateDir, 'fsmonitor.env')), 'the fsmonitor command ran').toBe(false);
  });

  it('gives a filter the deploy command configured only the scrubbed environment: no token', async () => {
    await rollBackAfterPlanting();
    // git runs a smudge filter while it checks out (turning filters off would break Git LFS):
    // what it sees is git's scrubbed environment.
    const filterEnv = await readFile(join(s.stateDir, 'smudge.env'), 'utf8');
    expect(filterEnv).toMatch(/^PATH=/m);
    expect(filterEnv).not.toContain(TOKEN);
    expect(filterEnv).not.toMatch(/^(INPUT_|GITHUB_TOKEN|ACTIONS_RUNTIME_TOKEN|STATE_)/m);
    expect(filterEnv).not.toMatch(/^GITHUB_/m);
  });
});

describe("the step's outputs and state", () => {
  it('a deploy command cannot write them: no forged output, no state the post step would act on', async () => {
    await s.commit({ version: 'v1' });
    const forge = [
      'set -euo pipefail',
      'echo "incident-url=https://forged.example/issue" >> "$GITHUB_OUTPUT"',
      `echo 'rollback-worktree=${s.fixture.work}' >> "$GITHUB_STATE"`,
      'echo "forged=yes" >> "$GITHUB_STATE"',
      'bash deploy.sh',
    ].join('\n');
    const { main } = await s.deploy({ inputs: { 'deploy-command': forge } });
    expect(main.outputs.result, main.stdout).toBe('deployed');
    expect(main.outputs['incident-url']).toBeUndefined();
    expect(main.state.forged).toBeUndefined();
    expect(main.state['rollback-worktree']).toBeUndefined();
  });
});
