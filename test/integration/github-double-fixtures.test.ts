// Replays requests recorded against the real api.github.com (@octokit/fixtures) against the GitHub
// double and checks that it answers with the same status, the same shape and the same values.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

interface RecordedExchange {
  method: string;
  path: string;
  body: unknown;
  status: number;
  response: unknown;
  reqheaders: Record<string, string | number>;
  headers: Record<string, string | number>;
}

const require = createRequire(import.meta.url);
const fixturesRoot = join(dirname(require.resolve('@octokit/fixtures/package.json')), 'scenarios', 'api.github.com');

function loadScenario(name: string): RecordedExchange[] {
  return JSON.parse(readFileSync(join(fixturesRoot, name, 'normalized-fixture.json'), 'utf8')) as RecordedExchange[];
}

/** The recordings use temporary repositories in this organisation; the double serves acme/shop. */
const RECORDED_REPO = /octokit-fixture-org\/[^/?#"]+/g;

/** Keys whose values (not only types) must match GitHub's. */
const VALUE_KEYS = new Set([
  'ref', 'name', 'color', 'default', 'description', 'title', 'state', 'state_reason', 'locked', 'body', 'number',
  'type', 'sha', 'assignee', 'milestone', 'closed_at', 'closed_by', 'active_lock_reason', 'performed_via_github_app',
]);
/** Objects describing a GitHub account: the recording's user is a person, the double's token is a bot. */
const ACCOUNT_KEYS = new Set(['user', 'creator', 'owner']);

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Collects every difference between a recorded and an actual body. */
function compare(
  recorded: unknown,
  actual: unknown,
  path: string,
  rewrite: (value: string) => string,
  problems: string[],
  inAccount = false,
): void {
  if (kind(recorded) !== kind(actual)) {
    problems.push(`${path}: type ${kind(actual)}, recorded ${kind(recorded)}`);
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length !== actual.length) problems.push(`${path}: length ${actual.length}, recorded ${recorded.length}`);
    recorded.forEach((item, index) => compare(item, actual[index], `${path}[${index}]`, rewrite, problems, inAccount));
    return;
  }
  if (kind(recorded) !== 'object') return;
  const rec = recorded as Record<string, unknown>;
  const act = actual as Record<string, unknown>;
  const missing = Object.keys(rec).filter((key) => !(key in act));
  const extra = Object.keys(act).filter((key) => !(key in rec));
  if (missing.length) problems.push(`${path}: missing keys ${missing.join(', ')}`);
  if (extra.length) problems.push(`${path}: extra keys ${extra.join(', ')}`);
  for (const key of Object.keys(rec)) {
    if (!(key in act)) continue;
    const here = `${path}.${key}`;
    const account = inAccount || ACCOUNT_KEYS.has(key) || (key === 'closed_by' && rec[key] !== null);
    const r = rec[key];
    const a = act[key];
    if (!account && typeof r === 'string' && typeof a === 'string' && /_url$|^url$/.test(key)) {
      if (rewrite(r) !== rewrite(a)) problems.push(`${here}: ${a} vs recorded ${r}`);
    } else if (!account && VALUE_KEYS.has(key) && kind(r) !== 'object' && kind(r) !== 'array') {
      if (rewrite(String(r)) !== rewrite(String(a)) || kind(r) !== kind(a)) {
        problems.push(`${here}: ${JSON.stringify(a)} vs recorded ${JSON.stringify(r)}`);
      }
    }
    compare(r, a, here, rewrite, problems, account);
  }
}

describe('GitHub double replays @octokit/fixtures recordings', () => {
  let repo: FixtureRepo | undefined;
  let double: GitHubDouble | undefined;

  afterEach(async () => {
    await double?.close();
    await repo?.cleanup();
    double = undefined;
    repo = undefined;
  });

  /**
   * Sends each recorded request to a fresh double and compares the answers.
   * `shas` maps the recording's normalised shas (0000…0001, …) to real ones in the fixture repo.
   */
  async function replay(scenario: string, shas: Record<string, string> = {}): Promise<void> {
    const exchanges = loadScenario(scenario);
    expect(exchanges.length).toBeGreaterThan(0);
    const server = double!;
    const toActual = (text: string): string =>
      Object.entries(shas).reduce((acc, [from, to]) => acc.split(from).join(to), text.replace(RECORDED_REPO, `${server.owner}/${server.repo}`));
    // Both sides end up in one vocabulary: api host stripped, repo and shas as in the double.
    const normalise = (value: string): string => toActual(value).replace('https://api.github.com', '').replace(server.url, '');

    for (const exchange of exchanges) {
      const method = exchange.method.toUpperCase();
      const path = toActual(exchange.path);
      const hasBody = exchange.body !== '' && exchange.body !== undefined;
      const body = hasBody ? JSON.parse(toActual(JSON.stringify(exchange.body))) : undefined;
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          accept: String(exchange.reqheaders.accept ?? 'application/vnd.github.v3+json'),
          authorization: 'token fixture-token',
          ...(hasBody ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        },
        ...(hasBody ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      const label = `${scenario}: ${method} ${path}`;
      expect(response.status, label).toBe(exchange.status);
      for (const header of ['content-type', 'location']) {
        expect(response.headers.has(header), `${label}: header ${header}`).toBe(header in exchange.headers);
      }
      for (const header of ['x-github-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used']) {
        expect(response.headers.has(header), `${label}: header ${header}`).toBe(true);
      }
      const actual: unknown = text === '' ? '' : JSON.parse(text);
      const problems: string[] = [];
      compare(exchange.response, actual, '$', normalise, problems);
      expect(problems, label).toEqual([]);
    }
  }

  it('git-refs', async () => {
    // The recording's setup (creating a repository and two commits through the contents API) is not
    // part of the recorded exchanges; a bare repository with two commits on main stands in for it.
    // Its normalised shas are numbered by first appearance: 0000…0001 is main's head (the 2nd commit),
    // 0000…0002 the initial commit.
    repo = await createFixtureRepo(2);
    double = await startGitHubDouble({ bareRepoPath: repo.bare });
    await replay('git-refs', {
      '0000000000000000000000000000000000000001': repo.commits[1]!,
      '0000000000000000000000000000000000000002': repo.commits[0]!,
    });
    // The branch made and deleted through the API really came and went in git.
    expect(await repo.git(['for-each-ref', '--format=%(refname)'], repo.bare)).toBe('refs/heads/main');
  });

  it('labels', async () => {
    // A fresh GitHub repository has GitHub's nine default labels, which the recording lists first.
    repo = await createFixtureRepo(1);
    double = await startGitHubDouble({ bareRepoPath: repo.bare });
    await replay('labels');
  });

  it('add-labels-to-issue', async () => {
    // The recording's repository creation/deletion is not among its recorded exchanges; a fresh double is.
    repo = await createFixtureRepo(1);
    double = await startGitHubDouble({ bareRepoPath: repo.bare });
    await replay('add-labels-to-issue');
    expect(double.state.issues[0]?.labels).toEqual(['Foo', 'bAr', 'baZ']);
  });

  it('the comparison itself catches differences', () => {
    const problems: string[] = [];
    const same = (value: string) => value;
    compare({ name: 'bug', id: 1, object: { sha: 'a' } }, { name: 'Bug', id: '1', object: {}, extra: true }, '$', same, problems);
    expect(problems).toEqual([
      '$: extra keys extra',
      '$.name: "Bug" vs recorded "bug"',
      '$.id: type string, recorded number',
      '$.object: missing keys sha',
    ]);
  });
});
