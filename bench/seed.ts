// History for the API-request counts at scale: pre-deploy tags in the bare repository (one git
// process for all of them), finished deployments and issues straight into the double's memory.
import { spawn } from 'node:child_process';
import type { Scenario } from '../test/support/deploy-scenario.ts';
import { runGit } from '../test/support/git-fixture.ts';
import type { SeedDeployment, SeedIssue } from '../test/support/github-double/index.ts';

export interface SeedNames {
  tagPrefix: string;
  environment: string;
  label: string;
  /** `tags/<prefix>/<env>/deploy-<run>-<attempt>`, as the action names them. */
  preDeployRef(runId: string, attempt: string): string;
  /** The marker the action writes into the incidents it opens for an environment. */
  incidentMarker(environment: string): string;
}

/** Loads the action's own naming (read-only use of src/), so seeded history looks like the action's. */
export async function actionNames(): Promise<SeedNames> {
  const tags = await import('../src/core/tag-names.ts');
  const gate = await import('../src/core/gate-decision.ts');
  return {
    tagPrefix: 'deploy-guard',
    environment: 'production',
    label: 'deploy-incident',
    preDeployRef: (runId, attempt) => tags.preDeployRef('deploy-guard', 'production', runId, attempt),
    incidentMarker: (env) => gate.incidentMarker(env),
  };
}

/** `git update-ref --stdin` with every line at once, then pack them as a long-lived repository has them. */
async function createRefs(gitDir: string, refs: Array<{ name: string; sha: string }>): Promise<void> {
  if (refs.length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', [`--git-dir=${gitDir}`, 'update-ref', '--stdin'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git update-ref --stdin failed (${code}): ${stderr.trim()}`))));
    child.stdin.end(refs.map((r) => `create ${r.name} ${r.sha}\n`).join(''));
  });
  await runGit([`--git-dir=${gitDir}`, 'pack-refs', '--all'], gitDir);
}

export interface SeedReport {
  tags: number;
  deployments: number;
  issues: number;
  ms: number;
}

/**
 * `count` pre-deploy tags of the environment, `count` deployments each finished (success then
 * inactive, or failure), and `count` issues: 70% closed incidents of this environment, 10% closed
 * incidents of another, 20% ordinary issues (half of them open). All from 400 to 31 days ago: older
 * than the 30 days status mode reports on, so its goal (3f) measures history length alone.
 */
export async function seedHistory(s: Scenario, count: number, sha: string, names: SeedNames): Promise<SeedReport> {
  const started = performance.now();
  const day = 86_400_000;
  const oldest = Date.now() - 400 * day;
  const at = (i: number): number => oldest + Math.floor((i * 369 * day) / Math.max(count, 1));
  const runId = (i: number): string => String(500_000 + i);

  await createRefs(
    s.fixture.bare,
    Array.from({ length: count }, (_, i) => ({ name: `refs/${names.preDeployRef(runId(i), '1')}`, sha })),
  );

  // Each run as on GitHub: the job's own environment deployment (task deploy, empty payload), then deploy-guard's.
  const deployments: SeedDeployment[] = Array.from({ length: count }, (_, i): SeedDeployment[] => [
    {
      sha,
      environment: names.environment,
      creator: 'octocat',
      at: at(i),
      statuses: [{ state: 'queued' }, { state: 'in_progress' }, { state: i % 10 === 3 ? 'failure' : 'success' }],
    },
    {
      sha,
      environment: names.environment,
      task: 'deploy:deploy-guard',
      description: `deploy-guard deploy of ${sha.slice(0, 7)}`,
      payload: { 'deploy-guard': { rollback: false, run: { id: runId(i), attempt: '1', kind: 'deploy' } } },
      at: at(i),
      statuses:
        i % 10 === 3
          ? [{ state: 'in_progress' }, { state: 'failure', description: 'Health checks failed' }]
          : [{ state: 'in_progress' }, { state: 'success' }, { state: 'inactive', at: at(i + 1) }],
    },
  ]).flat();
  s.github.seed.deployments(deployments);

  const issues: SeedIssue[] = Array.from({ length: count }, (_, i) => {
    const kind = i % 10;
    const when = { at: at(i), closedAt: at(i) + 3_600_000 };
    if (kind <= 7) {
      const env = kind === 7 ? 'staging' : names.environment;
      return {
        title: `Deploy to ${env} rolled back: ${sha.slice(0, 7)} failed its health window`,
        body: `${names.incidentMarker(env)}\nThe deploy of ${sha} failed its health window and was rolled back.\n<!-- deploy-guard:run=${runId(i)}-1 -->`,
        labels: [names.label],
        state: 'closed',
        ...when,
      };
    }
    return {
      title: `Ordinary issue ${i}`,
      body: 'Not about deploys.',
      labels: kind === 8 ? ['bug'] : [],
      user: 'octocat',
      state: i % 20 < 10 ? 'open' : 'closed',
      ...when,
    };
  });
  s.github.seed.issues(issues);
  return { tags: count, deployments: count, issues: count, ms: performance.now() - started };
}
