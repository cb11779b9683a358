// Known secrets never leave deploy-guard, whatever echoes them: check header values, URL
// credentials and query tokens, DEPLOY_ENV values, the token and the webhook URL stay out of the
// incident issue and its comments, the deployments and their statuses, the job summary, the
// outputs, the annotations, the log and the webhook notice. Input errors never echo credentials.
// dist/ run as the runner runs it, against the GitHub API double, real git and the real service.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, TOKEN, type DeployRun, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

let s: Scenario;
let view: ReturnType<typeof githubView>;
let hook: { url: string; received: string[]; server: Server } | undefined;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  s.github.setCollaborator('octo-maintainer', 'maintain');
});
afterEach(async () => {
  await s?.close();
  if (hook) {
    hook.server.closeAllConnections();
    await new Promise((resolve) => hook!.server.close(resolve));
  }
  hook = undefined;
});

const repo = { owner: 'acme', repo: 'shop' };

/** A real webhook receiver; the path's long segment stands for the webhook's token. */
async function startHook(): Promise<NonNullable<typeof hook>> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  hook = { url: `http://127.0.0.1:${port}/hooks/T0001/WEBHOOKTOKEN0123456789abcdef`, received, server };
  return hook;
}

/** Everything deploy-guard wrote to GitHub, as people read it: issues, comments, deployments and their statuses. */
async function writtenToGitHub(): Promise<string> {
  const { octokit } = view;
  const issues = await view.issues();
  const comments = await Promise.all(issues.map((i) => octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: i.number, per_page: 100 })));
  const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, { ...repo, per_page: 100 });
  const statuses = await Promise.all(deployments.map((d) => octokit.paginate(octokit.rest.repos.listDeploymentStatuses, { ...repo, deployment_id: d.id, per_page: 100 })));
  return [
    ...issues.flatMap((i) => [i.title, i.body ?? '']),
    ...comments.flat().map((c) => c.body ?? ''),
    ...deployments.flatMap((d) => [d.description ?? '', JSON.stringify(d.payload)]),
    ...statuses.flat().map((st) => st.description ?? ''),
  ].join('\n');
}

/** The log as the runner shows it: ::add-mask:: lines are read by the runner, never displayed. */
const shownLog = (log: string) => log.replace(/^::add-mask::.*$/gm, '');

/** What the step itself published: its summary, outputs, annotations and log. */
function publishedByStep(run: DeployRun): string {
  return [
    run.main.summary,
    JSON.stringify(run.main.outputs),
    ...run.main.annotations.map((a) => `${a.properties.title ?? ''} ${a.message}`),
    shownLog(run.main.stdout),
  ].join('\n');
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A first healthy deploy (the known-good version), then a version whose health fails. */
async function knownGoodThenFailing(): Promise<void> {
  await s.commit({ version: 'v1' });
  expect((await s.deploy()).main.outputs.result).toBe('deployed');
  await s.commit({ version: 'v2', health: 'fail' });
}

describe('a failing health check that echoes what it was sent', () => {
  it('publishes neither its header secret nor its query token: not in the incident, the summary, the outputs, the annotations, the log or the webhook', async () => {
    const apiKey = 'sk_live_HeaderSecret0042';
    const queryToken = 'QueryToken0123456789';
    await knownGoodThenFailing();
    const { url: webhook, received } = await startHook();
    const checks = [
      '- type: http',
      '  name: api',
      `  url: ${s.service.url}/health-echo?token=${queryToken}&page=2`,
      '  headers:',
      '    x-api-key: { env: API_KEY }',
    ].join('\n');
    const run = await s.deploy({ inputs: { checks, 'health-url': '', 'notify-webhook': webhook }, env: { API_KEY: apiKey } });
    expect(run.main.outputs.result).toBe('rolled-back');

    const [incident] = await view.issues('open');
    // The answer is still quoted for the reader, with the secrets taken out.
    expect(incident!.body).toContain('"x-api-key":"***"');
    expect(incident!.body).toContain('/health-echo?token=***&page=2');
    const everything = [await writtenToGitHub(), publishedByStep(run), ...received].join('\n');
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(queryToken);
    expect(received).toHaveLength(2); // rollback-started, then rolled-back: both checked above
  });

  it('publishes no part of a secret that the excerpt of the answer cut in two', async () => {
    const apiKey = 'sk_live_CutInTwo_0123456789';
    await knownGoodThenFailing();
    // 289 dots, then the key: the 300-character excerpt ends with its first 10 characters and "…".
    const checks = [
      '- type: http',
      '  name: api',
      `  url: ${s.service.url}/health-echo?header=x-api-key&pad=289`,
      '  headers:',
      '    x-api-key: { env: API_KEY }',
    ].join('\n');
    const run = await s.deploy({ inputs: { checks, 'health-url': '' }, env: { API_KEY: apiKey } });
    expect(run.main.outputs.result).toBe('rolled-back');
    const everything = [await writtenToGitHub(), publishedByStep(run)].join('\n');
    expect(everything).toContain('.***…');
    expect(everything).not.toContain(apiKey.slice(0, 10));
  });
});

describe('URL credentials', () => {
  it('are redacted, with the Basic header a service echoes, for user:password and for a lone token as user name', async () => {
    const password = 'hunter2-Secret-77';
    const userToken = 'ghp_UserNameToken0123456789';
    await knownGoodThenFailing();
    const host = s.service.url.replace('http://', '');
    const checks = [
      '- type: http',
      '  name: with-password',
      `  url: http://deployer:${password}@${host}/health-echo`,
      '- type: http',
      '  name: with-token',
      `  url: http://${userToken}@${host}/health-echo`,
    ].join('\n');
    const run = await s.deploy({ inputs: { checks, 'health-url': '' } });
    expect(run.main.outputs.result).toBe('rolled-back');

    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('"authorization":"Basic ***"');
    const everything = [await writtenToGitHub(), publishedByStep(run)].join('\n');
    for (const secret of [password, userToken, base64(`deployer:${password}`), base64(`${userToken}:`)]) expect(everything).not.toContain(secret);
    // The plan names each check's URL without its credentials.
    expect(run.main.stdout).toContain(`GET http://***@${host}/health-echo`);
  });

  it('and query tokens are not printed in the plan', async () => {
    const queryToken = 'PlanQueryToken0123456';
    await s.commit({ version: 'v1' });
    const checks = ['- type: http', '  name: api', `  url: ${s.service.url}/health?api_key=${queryToken}&verbose=1`].join('\n');
    const run = await s.deploy({ inputs: { checks, 'health-url': '' } });
    expect(run.main.outputs.result).toBe('deployed');
    expect(shownLog(run.main.stdout)).toContain(`/health?api_key=***&verbose=1`);
    expect(shownLog(run.main.stdout)).not.toContain(queryToken);
  });
});

describe('DEPLOY_ENV values, the token and the webhook URL', () => {
  it('printed by a failing command check, reach neither the incident, the summary, the log nor the webhook', async () => {
    const dbPassword = 'db-Password-0099';
    await knownGoodThenFailing();
    const { url: webhook, received } = await startHook();
    // A careless smoke test prints what it was given; the runner would mask it in the log only.
    const checks = [
      '- type: http',
      '  name: health',
      `  url: ${s.service.url}/health`,
      '- type: command',
      '  name: smoke',
      '  run: \'echo "db $DB_PASSWORD token $GH_TOKEN hook $HOOK"; exit 1\'',
    ].join('\n');
    const run = await s.deploy({
      inputs: { checks, 'health-url': '', 'notify-webhook': webhook },
      env: { DEPLOY_ENV: `# secrets of the deploy\nDB_PASSWORD=${dbPassword}\nREGION=eu`, DB_PASSWORD: dbPassword, GH_TOKEN: TOKEN, HOOK: webhook },
    });
    expect(['rolled-back', 'rollback-failed']).toContain(run.main.outputs.result);

    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('db *** token *** hook ***');
    const everything = [await writtenToGitHub(), publishedByStep(run), ...received].join('\n');
    for (const secret of [dbPassword, TOKEN, webhook, 'WEBHOOKTOKEN0123456789abcdef']) expect(everything).not.toContain(secret);
    expect(received).toHaveLength(2); // rollback-started, then rolled-back: both checked above
  });

  it('in a manual rollback reason, reach neither the deployment, its status, the incident comment nor the webhook', async () => {
    const apiKey = 'sk_live_PastedInReason9';
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    await s.deploy(); // fails, rolled back: the incident is open, so the manual rollback comments on it
    const { url: webhook, received } = await startHook();
    const run = await s.deploy({
      inputs: { mode: 'rollback', 'rollback-to': v1, reason: `rotated the key ${apiKey} after the leak`, 'notify-webhook': webhook },
      env: { GITHUB_ACTOR: 'octo-maintainer', DEPLOY_ENV: `API_KEY=${apiKey}` },
    });
    expect(run.main.outputs.result, run.main.stdout).toBe('rolled-back');

    const written = await writtenToGitHub();
    expect(written).toContain('rotated the key *** after the leak');
    const everything = [written, publishedByStep(run), ...received].join('\n');
    expect(everything).not.toContain(apiKey);
    expect(received.join('\n')).toContain('rotated the key *** after the leak');
  });
});

describe('input errors', () => {
  it('name the input without echoing the URL\'s credentials', async () => {
    await s.commit({ version: 'v1' });
    for (const url of ['ftp://admin:Hunter2Secret99@example.com/health', 'https://admin:Hunter2Secret99@exa mple.com/health']) {
      const run = await s.deploy({ inputs: { 'health-url': url } });
      expect(run.main.outputs.result).toBe('failed');
      const errors = run.main.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
      expect(errors).toContain('Input "health-url": "');
      expect(errors).toContain('***@');
      expect(publishedByStep(run)).not.toContain('Hunter2Secret99');
    }
  });

  it.each([
    ['health-url', (url: string) => ({ 'health-url': `${url}/health` }), 'Input "health-url": the password in the URL is not valid percent-encoding'],
    ['checks', (url: string) => ({ 'health-url': '', checks: `- type: http\n  url: ${url}/health` }), 'Input "checks": checks[0].url: the password in the URL is not valid percent-encoding'],
    ['notify-webhook', (url: string) => ({ 'notify-webhook': `${url}/hook` }), 'Input "notify-webhook": the password in the URL is not valid percent-encoding'],
  ])('a bad percent-escape in the password of %s is an input error naming it, with the result output', async (_input, inputs, message) => {
    await s.commit({ version: 'v1' });
    const url = s.service.url.replace('http://', 'http://deployer:50%zzSecret@');
    const run = await s.deploy({ inputs: inputs(url) });
    expect(run.main.stderr).not.toContain('URIError');
    expect(run.main.outputs.result).toBe('failed');
    expect(run.main.annotations.map((a) => a.message).join('\n')).toContain(message);
    expect(publishedByStep(run)).not.toContain('50%zzSecret');
    expect(await view.deployments()).toEqual([]);
  });
});
