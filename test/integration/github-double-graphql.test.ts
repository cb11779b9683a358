// The double's GraphQL API against its REST API: for the same seeded repository, GitHub's GraphQL
// names (deployments with their statuses, refs, issues) answer what the REST routes answer, in
// GitHub's GraphQL spelling; and errors, paging, rate limits, faults and the GHES path as GitHub's.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const DAY = 86_400_000;

const DEPLOYMENTS = `query Deployments($owner: String!, $name: String!, $environment: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$environment], orderBy: {field: CREATED_AT, direction: DESC}, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId commitOid createdAt task payload environment originalEnvironment description state
        creator { __typename login }
        latestStatus { state createdAt description logUrl creator { login } }
        statuses(first: 100) { nodes { state createdAt description environment logUrl } }
      }
    }
  }
}`;

interface DeploymentNode {
  databaseId: number;
  commitOid: string;
  createdAt: string;
  task: string;
  payload: string | null;
  environment: string;
  originalEnvironment: string;
  description: string;
  state: string;
  creator: { __typename: string; login: string };
  latestStatus: { state: string; createdAt: string; description: string; logUrl: string | null; creator: { login: string } } | null;
  statuses: { nodes: Array<{ state: string; createdAt: string; description: string; environment: string; logUrl: string | null }> };
}

interface DeploymentsAnswer {
  repository: { deployments: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: DeploymentNode[] } };
}

interface GraphqlFailure {
  errors: Array<Record<string, unknown>>;
  data?: unknown;
}

async function graphqlFailure(promise: Promise<unknown>): Promise<GraphqlFailure> {
  try {
    await promise;
  } catch (error) {
    return error as GraphqlFailure;
  }
  throw new Error('expected the query to fail');
}

describe('GitHub double: GraphQL', () => {
  let repo: FixtureRepo;
  let double: GitHubDouble;
  let octokit: Octokit;
  const owner = { owner: 'acme', repo: 'shop' };
  const vars = { owner: 'acme', name: 'shop' };

  beforeAll(async () => {
    repo = await createFixtureRepo(3);
    double = await startGitHubDouble({ bareRepoPath: repo.bare, collaborators: { octocat: 'write' } });
    octokit = new Octokit({ auth: 'test-token', baseUrl: double.url, log: quiet });
    const [first, second, third] = repo.commits as [string, string, string];
    // History as a deploy-guard repository has it: GitHub's job deployments beside deploy-guard's, over two months.
    const now = Date.now();
    double.seed.deployments([
      { sha: first, creator: 'octocat', at: now - 60 * DAY, statuses: [{ state: 'queued' }, { state: 'in_progress' }, { state: 'success' }] },
      {
        sha: first,
        task: 'deploy:deploy-guard',
        payload: { 'deploy-guard': { rollback: false, run: { id: '1', attempt: '1', kind: 'deploy' } } },
        at: now - 60 * DAY,
        statuses: [{ state: 'in_progress' }, { state: 'success', description: 'healthy for 5m' }, { state: 'inactive', at: now - 3 * DAY }],
      },
      { sha: second, environment: 'staging', at: now - 5 * DAY, statuses: [{ state: 'success' }] },
      { sha: second, payload: 'legacy-text-payload', at: now - 4 * DAY, statuses: [] },
    ]);
    // And through the API, with log URLs and auto-inactive.
    const created = await octokit.repos.createDeployment({ ...owner, ref: third, environment: 'production', auto_merge: false, required_contexts: [], task: 'deploy:deploy-guard', payload: { 'deploy-guard': { rollback: true, 'rollback-of': 7 } }, description: 'rollback' });
    const id = (created.data as { id: number }).id;
    await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: id, state: 'in_progress', log_url: 'https://github.com/acme/shop/actions/runs/9' });
    await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: id, state: 'success', log_url: 'https://github.com/acme/shop/actions/runs/9' });

    await octokit.git.createRef({ ...owner, ref: 'refs/tags/deploy-guard/production/known-good', sha: second });
    for (const n of [3, 12]) await octokit.git.createRef({ ...owner, ref: `refs/deploy-guard/production/incidents/${n}`, sha: first });
    await octokit.git.createRef({ ...owner, ref: 'refs/deploy-guard/staging/incidents/4', sha: first });
    await repo.git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'tag', '-a', 'v-annotated', '-m', 'release', second]);
    await repo.git(['push', '--quiet', 'origin', 'refs/tags/v-annotated']);

    await octokit.issues.create({ ...owner, title: 'Deploy to production failed', body: 'marker', labels: ['deploy-incident'] });
    await octokit.issues.create({ ...owner, title: 'ordinary', body: 'not about deploys', labels: ['bug'] });
    const closed = await octokit.issues.create({ ...owner, title: 'Deploy to production failed again', labels: ['Deploy-Incident'] });
    double.closeIssue(closed.data.number, { reason: 'not_planned' });
    double.seed.issues([{ title: 'reported by a person', body: '', labels: ['deploy-incident'], user: 'octocat' }]);
    const duplicate = await octokit.issues.create({ ...owner, title: 'same again', labels: ['deploy-incident'] });
    double.closeIssue(duplicate.data.number, { reason: 'duplicate' });
  });

  afterEach(() => double.faults.clear());

  afterAll(async () => {
    await double?.close();
    await repo?.cleanup();
  });

  describe('answers what REST answers for the same repository', () => {
    it('deployments of an environment, newest first, each with its statuses, in GitHub GraphQL spelling', async () => {
      const answer = await octokit.graphql<DeploymentsAnswer>(DEPLOYMENTS, { ...vars, environment: 'production', first: 100 });
      const nodes = answer.repository.deployments.nodes;
      const rest = await octokit.paginate(octokit.repos.listDeployments, { ...owner, environment: 'production', per_page: 100 });
      expect(nodes.map((d) => d.databaseId)).toEqual(rest.map((d) => d.id));
      expect(answer.repository.deployments.totalCount).toBe(rest.length);
      for (const [node, listed] of nodes.map((n, i) => [n, rest[i]!] as const)) {
        expect({ sha: node.commitOid, createdAt: node.createdAt, task: node.task, environment: node.environment, original: node.originalEnvironment, description: node.description }).toEqual({
          sha: listed.sha,
          createdAt: listed.created_at,
          task: listed.task,
          environment: listed.environment,
          original: listed.original_environment,
          description: listed.description,
        });
        // REST spells an app `github-actions[bot]`; GraphQL's Bot login has no suffix.
        expect(node.creator).toEqual(listed.creator?.type === 'Bot' ? { __typename: 'Bot', login: listed.creator.login.replace(/\[bot\]$/, '') } : { __typename: 'User', login: listed.creator?.login });
        // The payload is a String: JSON of REST's object, nothing for an empty one, a string payload encoded once more.
        const payload = listed.payload as unknown;
        if (typeof payload === 'string') expect(JSON.parse(node.payload!)).toBe(payload);
        else if (Object.keys(payload as object).length === 0) expect(node.payload).toBeNull();
        else expect(JSON.parse(node.payload!)).toEqual(payload);

        const statuses = (await octokit.repos.listDeploymentStatuses({ ...owner, deployment_id: listed.id, per_page: 100 })).data;
        // REST lists statuses newest first; GraphQL's connection oldest first, its latestStatus the newest.
        expect(node.statuses.nodes.map((s) => s.state.toLowerCase())).toEqual(statuses.map((s) => s.state).reverse());
        expect(node.statuses.nodes.map((s) => [s.createdAt, s.description, s.environment, s.logUrl ?? ''])).toEqual(
          statuses.map((s) => [s.created_at, s.description, s.environment, s.log_url]).reverse(),
        );
        expect(node.latestStatus?.state.toLowerCase()).toBe(statuses[0]?.state);
        expect(node.latestStatus?.createdAt).toBe(statuses[0]?.created_at);
        expect(node.latestStatus?.creator.login).toBe(statuses[0]?.creator?.login.replace(/\[bot\]$/, ''));
      }
      // The API's success made the job deployment's success inactive (auto-inactive); the text payload's has no status yet.
      expect(nodes.map((d) => d.state)).toEqual(['ACTIVE', 'PENDING', 'INACTIVE', 'INACTIVE']);
      expect(nodes[0]!.latestStatus?.logUrl).toBe('https://github.com/acme/shop/actions/runs/9');
      expect(nodes.every((d) => d.environment === 'production')).toBe(true);
    });

    it("a deployment's commit with its times, as REST's commit answers them; null for a commit git does not have", async () => {
      const [first] = repo.commits as [string];
      double.seed.deployments([{ sha: first, environment: 'qa' }, { sha: 'f'.repeat(40), environment: 'qa' }]);
      const query = `query Commits($owner: String!, $name: String!) {
        repository(owner: $owner, name: $name) {
          deployments(environments: ["qa"], first: 10) { nodes { commitOid commit { oid committedDate authoredDate } } }
        }
      }`;
      const answer = await octokit.graphql<{ repository: { deployments: { nodes: Array<{ commitOid: string; commit: { oid: string; committedDate: string; authoredDate: string } | null }> } } }>(query, vars);
      const [known, gone] = answer.repository.deployments.nodes;
      const rest = (await octokit.repos.getCommit({ ...owner, ref: first })).data.commit;
      expect(known!.commit).toEqual({ oid: first, committedDate: rest.committer?.date, authoredDate: rest.author?.date });
      expect(gone).toEqual({ commitOid: 'f'.repeat(40), commit: null });
    });

    it('refs: a branch, a lightweight and an annotated tag, and refs under a prefix, with their commits', async () => {
      const { repository } = await octokit.graphql<{
        repository: Record<string, { name: string; prefix: string; target: { __typename: string; oid: string; target?: { oid: string } } } | null> & {
          refs: { nodes: Array<{ name: string; prefix: string }> };
        };
      }>(
        `query Refs($owner: String!, $name: String!) {
          repository(owner: $owner, name: $name) {
            main: ref(qualifiedName: "main") { name prefix target { __typename oid } }
            knownGood: ref(qualifiedName: "refs/tags/deploy-guard/production/known-good") { name prefix target { __typename oid } }
            annotated: ref(qualifiedName: "v-annotated") { name prefix target { __typename oid ... on Tag { target { oid } } } }
            missing: ref(qualifiedName: "refs/tags/deploy-guard/production/nothing") { name }
            refs(refPrefix: "refs/deploy-guard/production/incidents/", first: 100) { nodes { name prefix } }
          }
        }`,
        vars,
      );
      const rest = async (ref: string) => (await octokit.git.getRef({ ...owner, ref })).data.object;
      expect(repository.main).toEqual({ name: 'main', prefix: 'refs/heads/', target: { __typename: 'Commit', oid: (await rest('heads/main')).sha } });
      expect(repository.knownGood).toEqual({ name: 'deploy-guard/production/known-good', prefix: 'refs/tags/', target: { __typename: 'Commit', oid: repo.commits[1] } });
      const tagObject = await rest('tags/v-annotated');
      const tag = (await octokit.git.getTag({ ...owner, tag_sha: tagObject.sha })).data;
      expect(repository.annotated?.target).toEqual({ __typename: 'Tag', oid: tagObject.sha, target: { oid: tag.object.sha } });
      expect(repository.missing).toBeNull();
      const matching = (await octokit.git.listMatchingRefs({ ...owner, ref: 'deploy-guard/production/incidents/' })).data.map((r) => r.ref);
      expect(repository.refs.nodes.map((r) => `${r.prefix}${r.name}`)).toEqual(matching);
      expect(repository.refs.nodes.map((r) => r.name)).toEqual(['12', '3']);
    });

    it('open issues with a label, and one issue by number, as the REST issues list and issue read them', async () => {
      const { repository } = await octokit.graphql<{
        repository: {
          issues: { nodes: Array<{ number: number; title: string; url: string; body: string; state: string; author: { __typename: string; login: string } }> };
          closed: { stateReason: string; closed: boolean; labels: { nodes: Array<{ name: string }> } };
          duplicate: { plain: string; exact: string };
        };
      }>(
        `query Issues($owner: String!, $name: String!, $label: String!, $closed: Int!, $duplicate: Int!) {
          repository(owner: $owner, name: $name) {
            issues(labels: [$label], states: [OPEN], first: 100, orderBy: {field: CREATED_AT, direction: DESC}) {
              nodes { number title url body state author { __typename login } }
            }
            closed: issue(number: $closed) { stateReason closed labels(first: 10) { nodes { name } } }
            duplicate: issue(number: $duplicate) { plain: stateReason exact: stateReason(enableDuplicate: true) }
          }
        }`,
        { ...vars, label: 'deploy-incident', closed: 3, duplicate: 5 },
      );
      const rest = await octokit.paginate(octokit.issues.listForRepo, { ...owner, state: 'open', labels: 'deploy-incident', per_page: 100 });
      expect(repository.issues.nodes).toEqual(
        rest.map((i) => ({
          number: i.number,
          title: i.title,
          url: i.html_url,
          body: i.body ?? '',
          state: 'OPEN',
          author: { __typename: i.user?.type, login: i.user?.type === 'Bot' ? i.user.login.replace(/\[bot\]$/, '') : i.user?.login },
        })),
      );
      expect(repository.issues.nodes.map((i) => i.author.login)).toEqual(['octocat', 'github-actions']);
      const closed = (await octokit.issues.get({ ...owner, issue_number: 3 })).data;
      const labels = closed.labels.map((l) => ({ name: typeof l === 'string' ? l : l.name }));
      expect(repository.closed).toEqual({ stateReason: closed.state_reason!.toUpperCase(), closed: true, labels: { nodes: labels } });
      expect(repository.duplicate).toEqual({ plain: 'NOT_PLANNED', exact: 'DUPLICATE' });
    });
  });

  describe('pages', () => {
    it('100 at most, with cursors that continue where the last page ended even after newer deployments arrive', async () => {
      double.seed.deployments(Array.from({ length: 230 }, (_, i) => ({ sha: repo.commits[0]!, environment: 'paging', at: Date.now() - (300 - i) * 60_000 })));
      const page = (after: string | null) => octokit.graphql<DeploymentsAnswer>(DEPLOYMENTS, { ...vars, environment: 'paging', first: 100, after });
      const one = (await page(null)).repository.deployments;
      expect(one.nodes).toHaveLength(100);
      expect(one.pageInfo.hasNextPage).toBe(true);
      double.seed.deployments([{ sha: repo.commits[0]!, environment: 'paging' }]);
      const two = (await page(one.pageInfo.endCursor)).repository.deployments;
      const three = (await page(two.pageInfo.endCursor)).repository.deployments;
      expect(three.nodes).toHaveLength(30);
      expect(three.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
      const rest = await octokit.paginate(octokit.repos.listDeployments, { ...owner, environment: 'paging', per_page: 100 });
      expect([...one.nodes, ...two.nodes, ...three.nodes].map((d) => d.databaseId)).toEqual(rest.slice(1).map((d) => d.id));
    });

    it('refuses a connection without first or last, or with more than 100, as GitHub does', async () => {
      const missing = await graphqlFailure(octokit.graphql('query { repository(owner: "acme", name: "shop") { deployments { totalCount } } }'));
      expect(missing.errors).toEqual([
        { type: 'MISSING_PAGINATION_BOUNDARIES', path: ['repository', 'deployments'], locations: [{ line: 1, column: 51 }], message: 'You must provide a `first` or `last` value to properly paginate the `deployments` connection.' },
      ]);
      const excessive = await graphqlFailure(octokit.graphql('query { repository(owner: "acme", name: "shop") { refs(refPrefix: "refs/", first: 101) { totalCount } } }'));
      expect(excessive.errors[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION', message: 'Requesting 101 records on the `refs` connection exceeds the `first` limit of 100 records.' });
    });
  });

  describe('errors, as GitHub shapes them', () => {
    it('an unknown field or argument: 200, errors with extensions.code, and no data', async () => {
      const response = await fetch(`${double.url}/graphql`, {
        method: 'POST',
        headers: { authorization: 'bearer test-token', 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Bad {\n  repository(owner: "acme", name: "shop") {\n    deployments(task: "deploy:deploy-guard", first: 1) { nodes { id sha } }\n  }\n}' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        errors: [
          {
            path: ['query Bad', 'repository', 'deployments', 'task'],
            extensions: { code: 'argumentNotAccepted', name: 'deployments', typeName: 'Field', argumentName: 'task' },
            locations: [{ line: 3, column: 17 }],
            message: "Field 'deployments' doesn't accept argument 'task'",
          },
          {
            path: ['query Bad', 'repository', 'deployments', 'nodes', 'sha'],
            extensions: { code: 'undefinedField', typeName: 'Deployment', fieldName: 'sha' },
            locations: [{ line: 3, column: 69 }],
            message: "Field 'sha' doesn't exist on type 'Deployment'",
          },
        ],
      });
    });

    it('a repository or issue that is not there: NOT_FOUND, with the rest of the data', async () => {
      const gone = await graphqlFailure(octokit.graphql('query { repository(owner: "acme", name: "elsewhere") { name } }'));
      expect(gone.errors).toEqual([{ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 1, column: 9 }], message: "Could not resolve to a Repository with the name 'acme/elsewhere'." }]);
      expect(gone.data).toEqual({ repository: null });
      const issue = await graphqlFailure(octokit.graphql('query { repository(owner: "acme", name: "shop") { name issue(number: 999) { title } } }'));
      expect(issue.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository', 'issue'], message: 'Could not resolve to an Issue with the number of 999.' });
      expect(issue.data).toEqual({ repository: { name: 'shop', issue: null } });
    });

    it('no token: 401, as every route', async () => {
      const response = await fetch(`${double.url}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ repository(owner: "acme", name: "shop") { name } }' }) });
      expect(response.status).toBe(401);
    });
  });

  describe('rate limits and faults', () => {
    const throttleLog: string[] = [];
    const resilient = () =>
      new (Octokit.plugin(retry, throttling))({
        auth: 'test-token',
        baseUrl: double.url,
        log: quiet,
        retry: { retryAfterBaseValue: 10 },
        throttle: {
          onRateLimit: (retryAfter: number) => (throttleLog.push(`primary:${retryAfter}`), true),
          onSecondaryRateLimit: (retryAfter: number) => (throttleLog.push(`secondary:${retryAfter}`), true),
        },
      });
    afterEach(() => {
      throttleLog.length = 0;
    });
    const NAME = 'query Name($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { nameWithOwner } }';

    it('counts GraphQL apart from REST (x-ratelimit-resource: graphql) and logs the operation', async () => {
      const before = double.requests.length;
      const response = await octokit.request('POST /graphql', { query: NAME, variables: vars });
      expect(response.headers['x-ratelimit-resource']).toBe('graphql');
      const rest = await octokit.repos.get(owner);
      expect(rest.headers['x-ratelimit-resource']).toBe('core');
      expect(double.requests.slice(before).map((r) => [r.method, r.path, r.operation])).toEqual([
        ['POST', '/graphql', 'Name'],
        ['GET', '/repos/acme/shop', undefined],
      ]);
    });

    it('a primary rate limit answers 200 with RATE_LIMITED; plugin-throttling waits for the reset and retries', async () => {
      double.faults.add({ path: '/graphql', rateLimit: 'primary', times: 1 });
      const raw = await octokit.request('POST /graphql', { query: NAME, variables: vars });
      expect(raw.status).toBe(200);
      expect(raw.headers['x-ratelimit-remaining']).toBe('0');
      expect(raw.data).toEqual({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] });

      double.faults.add({ path: '/graphql', rateLimit: 'primary', times: 1 });
      const before = double.requests.length;
      expect(await resilient().graphql(NAME, vars)).toEqual({ repository: { nameWithOwner: 'acme/shop' } });
      expect(throttleLog).toHaveLength(1);
      expect(double.requests.slice(before).map((r) => r.status)).toEqual([200, 200]);
    });

    it('a secondary rate limit (403) and a 502 on one operation are retried; other operations are untouched', async () => {
      double.faults.add({ path: '/graphql', operation: 'Name', rateLimit: 'secondary', times: 1 });
      double.faults.add({ path: '/graphql', operation: 'Name', status: 502, times: 1 });
      const before = double.requests.length;
      await resilient().graphql('query Other { repository(owner: "acme", name: "shop") { name } }');
      expect(await resilient().graphql(NAME, vars)).toEqual({ repository: { nameWithOwner: 'acme/shop' } });
      expect(throttleLog).toEqual(['secondary:1']);
      expect(double.requests.slice(before).map((r) => [r.operation, r.status])).toEqual([
        ['Other', 200],
        ['Name', 403],
        ['Name', 502],
        ['Name', 200],
      ]);
    });

    it('latency delays the answer', async () => {
      double.faults.add({ path: '/graphql', latencyMs: 300, times: 1 });
      const started = Date.now();
      await octokit.graphql(NAME, vars);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });
  });

  it('GitHub Enterprise Server: a client with base URL .../api/v3 reaches GraphQL at /api/graphql and REST under /api/v3', async () => {
    const ghes = new Octokit({ auth: 'test-token', baseUrl: `${double.url}/api/v3`, log: quiet });
    const before = double.requests.length;
    expect(await ghes.graphql('query Name { repository(owner: "acme", name: "shop") { name } }')).toEqual({ repository: { name: 'shop' } });
    expect((await ghes.repos.get(owner)).data.full_name).toBe('acme/shop');
    expect(double.requests.slice(before).map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/api/graphql', 200],
      ['GET', '/api/v3/repos/acme/shop', 200],
    ]);
  });
});
