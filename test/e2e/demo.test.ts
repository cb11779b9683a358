// The README's first command: `npm run demo` tells the whole story, and it must stay true.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../support/deploy-scenario.ts';

it('npm run demo tells the whole story: deploy, failure, rollback, incident, blocked deploy, unblock, a freeze and its override, a staged rollout, the delivery figures', async () => {
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(tsx, ['demo/run.ts'], { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
  });
  expect(code, `${stdout}\n${stderr}`).toBe(0);
  const results = [...stdout.matchAll(/=> result=(\S+), exit code (\d+)/g)].map((m) => `${m[1]} ${m[2]}`);
  expect(results).toEqual(['deployed 0', 'rolled-back 1', 'blocked 1', 'deployed 0', 'blocked 1', 'deployed 0', 'deployed 0', 'rolled-back 1', 'reported 0']);
  // Status mode's delivery figures of the story: every deploy-guard deploy so far, two of them rolled back.
  expect(stdout).toContain('### Delivery figures (last 30 days)');
  expect(stdout).toMatch(/\| Change failure rate \| [\d.]+% \(2 of \d+ deploys failed\) \|/);
  expect(stdout).toMatch(/\| Rollbacks \| 2: 2 succeeded, 0 failed \(success rate 100%\); 2 automatic, 0 manual \|/);
  // The staged rollouts: a status per stage on one deployment, the rollback told the stage that failed.
  expect(stdout).toMatch(/deployment (\d+): in_progress {2}"stage 1\/2 canary: deploying, then watching 1s"\n {3}deployment \1: in_progress {2}"stage 2\/2 everyone: deploying, then watching 1s"\n {3}deployment \1: success {2}"Healthy through 2 stages \(2s\); now known-good"/);
  expect(stdout).toContain('failure  "stage 2/2 everyone: unhealthy: 3 consecutive health rounds failed');
  expect(stdout).toContain('demo-rollback: stage 2 failed: DEPLOY_GUARD_FAILED_STAGE=everyone');
  expect(stdout).toMatch(/\| 1\/2 `canary` \| 1s \| .+ \| healthy for 1s \|\n +\| 2\/2 `everyone` \| 1s \| .+ \| \*\*failed\*\*: unhealthy/);
  expect(stdout).toContain('blocked-by=freeze');
  expect(stdout).toMatch(/deploys to production are frozen \(Release freeze, \d{4}-\d{2}-\d{2}\); the next opening is/);
  expect(stdout).toContain('deploys to production through a freeze: "fix for the checkout outage"');
  expect(stdout).toMatch(/Incident #\d+ \[deploy-incident, severity:high\]/);
  expect(stdout).toContain('The service at');
  expect(stdout).toMatch(/deployment \d+: \w{7} \(rollback\) {2}in_progress -> success( -> inactive)? {2}\[deploy-guard\]/);
  expect(stdout).toMatch(/\[the job \(@octocat\)\]/);
}, 120_000);
