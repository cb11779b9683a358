// `npm run demo`: the whole deploy-guard story against the embedded GitHub API double, real git
// and a real service. Narrated step by step; cleans up after itself.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScenario, type DeployRun, type Scenario } from '../test/support/deploy-scenario.ts';
import { githubView } from '../test/support/github-view.ts';

const bold = (t: string) => (process.stdout.isTTY ? `\x1b[1m${t}\x1b[0m` : t);
const say = (t = '') => process.stdout.write(`${t}\n`);
const step = (n: number, t: string) => say(`\n${bold(`${n}. ${t}`)}`);
const indent = (t: string) => t.split('\n').map((l) => `     ${l}`).join('\n');

/** The lines of the action's log a person would read: rounds, verdicts, what it did. */
function narrate(run: DeployRun, expected: string): void {
  const keep = /^(demo-stage:|demo-rollback:|In \d+ stages| {2}stage \d|round \d+|Plan for|Known-good version|No known-good|Health:|Tagged|Deployed|Deploy of|Rolled back|Rollback|Opened incident|Deploys to|Gate:|Not deployed|deploy\.sh:|::error|::warning)/;
  for (const raw of run.main.stdout.split('\n')) {
    const line = raw.replace(/^::(error|warning)[^:]*::/, (_m, kind: string) => `${kind.toUpperCase()}: `).replace(/%0A/g, ' / ');
    if (keep.test(raw) || keep.test(line)) say(indent(line.length > 160 ? `${line.slice(0, 157)}...` : line));
  }
  say(indent(`=> result=${run.main.outputs.result}, exit code ${run.main.exitCode}`));
  // The story is checked as it is told (the demo runs in `npm test`): a different result stops it.
  if (run.main.outputs.result !== expected) throw new Error(`the demo expected result=${expected}, got ${run.main.outputs.result ?? 'none'}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const s: Scenario = await startScenario();
  const view = githubView(s.github);
  const serving = async () => say(`   The service at ${s.service.url} now serves: ${(await s.service.currentVersion()) ?? 'nothing'}`);
  try {
    say(bold('deploy-guard demo'));
    say(`GitHub API double: ${s.github.url} (repository acme/shop, refs in the bare repo ${s.fixture.bare})`);
    say(`Health settings: a round every 250ms for a 2s window; 3 consecutive failed rounds roll back.`);

    step(1, 'Deploy v1, a healthy version. No known-good version exists yet.');
    const v1 = await s.commit({ version: 'v1' });
    narrate(await s.deploy(), 'deployed');
    await serving();
    say(`   known-good tag -> ${(await s.tagSha('deploy-guard/production/known-good'))?.slice(0, 7)} (v1 is ${v1.slice(0, 7)})`);

    step(2, 'Deploy v2, whose /health answers 503. deploy-guard watches, rolls back to v1 and opens an incident.');
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy();
    narrate(bad, 'rolled-back');
    await serving();
    say(`   known-good tag still -> ${(await s.tagSha('deploy-guard/production/known-good'))?.slice(0, 7)} (v2 was ${v2.slice(0, 7)})`);
    const [incident] = await view.issues('open');
    if (!incident) throw new Error('the demo expected an incident issue');
    say(`\n   Incident #${incident.number} [${incident.labels.map((l) => (typeof l === 'string' ? l : l.name)).join(', ')}]: ${incident.title}`);
    say(indent((incident.body ?? '').replace(/<!--.*-->\n/, '')));
    const summaryFile = join(tmpdir(), 'deploy-guard-demo-job-summary.md');
    await writeFile(summaryFile, bad.main.summary);
    say(`\n   The job summary of this run (what GitHub shows on the run's page) is in ${summaryFile}`);

    step(3, 'Deploy v3 (a good version) while the incident is open: refused.');
    await s.commit({ version: 'v3' });
    narrate(await s.deploy(), 'blocked');
    await serving();

    step(4, `A maintainer closes incident #${incident.number}; deploy v3 again.`);
    await view.closeIssue(incident.number);
    narrate(await s.deploy(), 'deployed');
    await serving();

    const today = new Date().toISOString().slice(0, 10);
    step(5, `A release freeze today (deploy-freezes: "${today} Release freeze"): deploy v4, refused before anything is written.`);
    await s.commit({ version: 'v4' });
    const freeze = { 'deploy-freezes': `${today} Release freeze` };
    const frozen = await s.deploy({ inputs: freeze });
    narrate(frozen, 'blocked');
    say(indent(`blocked-by=${frozen.main.outputs['blocked-by']}`));
    await serving();

    step(6, 'A maintainer deploys v4 through the freeze with override-reason; the override is recorded on the deployment.');
    s.github.setCollaborator('octo-maintainer', 'maintain');
    narrate(await s.deploy({ inputs: { ...freeze, 'override-reason': 'fix for the checkout outage' }, env: { GITHUB_ACTOR: 'octo-maintainer' } }), 'deployed');
    await serving();

    await stagedRollout(s, view, serving);
    await statusReport(s);

    step(10, 'What GitHub now holds for production (deployments, oldest first):');
    say(`   Each run is a job with environment: production, so GitHub made a deployment of its own for it`);
    say(`   (by @${'octocat'}, task deploy); deploy-guard keeps to its own (task deploy:deploy-guard) and leaves those alone.`);
    for (const d of await view.deployments({ all: true })) {
      const whose = d.creator === 'github-actions[bot]' ? 'deploy-guard' : `the job (@${d.creator})`;
      say(`   deployment ${d.id}: ${d.sha.slice(0, 7)}${d.rollback ? ' (rollback)' : ''}  ${d.states.join(' -> ')}  [${whose}]`);
    }
    say(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)}s. Cleaning up the service, the API double and the temporary repositories.`);
  } finally {
    await s.close();
  }
}

/** The stages input: each command a YAML double-quoted string (JSON's string syntax is YAML's). */
function stagesInput(stages: Array<{ name: string; command: string }>): string {
  return stages.map((st) => `- name: ${st.name}\n  command: ${JSON.stringify(st.command)}\n  window: 1s\n`).join('');
}

/** Steps 7 and 8: a staged rollout that stays healthy, then one that fails at its second stage. */
async function stagedRollout(s: Scenario, view: ReturnType<typeof githubView>, serving: () => Promise<unknown>): Promise<void> {
  const note = 'echo "demo-stage: $DEPLOY_GUARD_STAGE_NUMBER/$DEPLOY_GUARD_STAGE_COUNT $DEPLOY_GUARD_STAGE"';
  const rollback = 'echo "demo-rollback: stage $DEPLOY_GUARD_FAILED_STAGE_NUMBER failed: DEPLOY_GUARD_FAILED_STAGE=$DEPLOY_GUARD_FAILED_STAGE"; bash deploy.sh';
  const statuses = async (deploymentId: string | undefined) => {
    const { data } = await view.octokit.rest.repos.listDeploymentStatuses({ owner: s.github.owner, repo: s.github.repo, deployment_id: Number(deploymentId) });
    for (const d of data.reverse()) say(`   deployment ${deploymentId}: ${d.state}  "${d.description}"`);
  };

  step(7, 'A staged rollout of v5 (stages: a canary, then everyone): one deployment, each stage watched for its own 1s window.');
  await s.commit({ version: 'v5' });
  const staged = { 'deploy-command': '', 'rollback-command': rollback };
  const good = await s.deploy({ inputs: { ...staged, stages: stagesInput([{ name: 'canary', command: `${note}; bash deploy.sh` }, { name: 'everyone', command: `${note}; bash deploy.sh` }]) } });
  narrate(good, 'deployed');
  await statuses(good.main.outputs['deployment-id']);
  await serving();

  step(8, 'A staged rollout of v6, whose /health answers 503: its canary stage (here it only says so) passes, the "everyone" stage fails; everything rolls back to v5.');
  await s.commit({ version: 'v6', health: 'fail' });
  const canary = 'echo "demo-stage: 1/2 canary: v6 on the canary hosts (the demo has one service, which keeps v5)"';
  const bad = await s.deploy({ inputs: { ...staged, stages: stagesInput([{ name: 'canary', command: canary }, { name: 'everyone', command: `${note}; bash deploy.sh` }]) } });
  narrate(bad, 'rolled-back');
  await statuses(bad.main.outputs['deployment-id']);
  await serving();
  const [incident] = await view.issues('open');
  const stagesTable = (incident?.body ?? '').split('\n').filter((l) => /^\| (Stage|\d+\/\d+ )/.test(l));
  say(`\n   Incident #${incident?.number}: ${incident?.title}. Its stages:`);
  say(indent(stagesTable.join('\n')));
}

/** Step 9: status mode's delivery figures of the story so far, as its job summary and its JSON output show them. */
async function statusReport(s: Scenario): Promise<void> {
  step(9, 'Status mode (mode: status, period: 30d): the delivery figures of production, from what GitHub holds.');
  // A status job needs no environment: GitHub makes no deployment for it.
  const run = await s.deploy({ inputs: { mode: 'status', period: '30d' }, jobEnvironment: false });
  narrate(run, 'reported');
  // The summary's "Delivery figures" table (its chart, a Mermaid block, GitHub draws in the job summary).
  const summary = run.main.summary.split('\n');
  const from = summary.findIndex((l) => l.startsWith('### Delivery figures'));
  const table = summary.slice(from).filter((l) => l.startsWith('|') || l.startsWith('###'));
  say(indent(table.join('\n')));
  const { figures } = JSON.parse(run.main.outputs.status ?? '{}') as { figures: Record<string, unknown> };
  const { weeks: _weeks, period: _period, ...keys } = figures;
  say(indent(`status output, figures (weeks left out): ${JSON.stringify(keys)}`));
}

main().catch((error: Error) => {
  process.stderr.write(`demo failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
