// commitRange reads the commits between two versions from GitHub's compare API: here the GitHub
// double over a real bare repository, through the action's own client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.ts';
import { commitRange } from '../../src/github/commits.ts';
import type { Log } from '../../src/log.ts';
import { createGitFixture, FIXTURE_AUTHOR, type GitFixture } from '../support/git-fixture.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

const warnings: string[] = [];
const log: Log = {
  info: () => {},
  warning: (message) => warnings.push(message),
  error: () => {},
  group: (_title, body) => body(),
};

describe('commitRange against the GitHub double', () => {
  let fixture: GitFixture;
  let double: GitHubDouble;
  let gh: GitHubClient;
  const repo = { owner: 'acme', repo: 'shop' };
  /** The known-good version, then 22 commits after it. */
  let knownGood: string;
  const after: string[] = [];

  beforeAll(async () => {
    fixture = await createGitFixture();
    knownGood = await fixture.commitVersion({ 'app.txt': 'v0\n' }, 'Release v0');
    for (let i = 1; i <= 22; i += 1) {
      after.push(await fixture.commitVersion({ 'app.txt': `v${i}\n` }, `Change ${i}\n\nWhy change ${i} was made.`));
    }
    double = await startGitHubDouble({ bareRepoPath: fixture.bare, ...repo });
    gh = createGitHubClient({ token: 'test-token', baseUrl: double.url, log, userAgent: 'deploy-guard-test' });
  });

  afterAll(async () => {
    await double?.close();
    await fixture?.cleanup();
  });

  it('counts every commit and shows the first 20, oldest first, with title and author', async () => {
    const head = after.at(-1)!;
    const before = double.requests.length;
    const range = await commitRange(gh, repo, knownGood, head);

    expect(range.total).toBe(22);
    expect(range.shown).toEqual(
      after.slice(0, 20).map((sha, i) => ({ sha, title: `Change ${i + 1}`, author: FIXTURE_AUTHOR.name })),
    );
    expect(range.compareUrl).toBe(`https://github.com/acme/shop/compare/${knownGood}...${head}`);
    // One request, for page 1 of the size shown.
    expect(double.requests.slice(before).map((entry) => [entry.path, entry.query])).toEqual([
      [`/repos/acme/shop/compare/${knownGood}...${head}`, { per_page: '20', page: '1' }],
    ]);
  });

  it('shows as many as asked, from the oldest, and takes branch names', async () => {
    const range = await commitRange(gh, repo, after[4]!, 'main', 3);
    expect(range.total).toBe(17);
    expect(range.shown.map((line) => line.title)).toEqual(['Change 6', 'Change 7', 'Change 8']);
    expect(range.compareUrl).toBe(`https://github.com/acme/shop/compare/${after[4]}...main`);
  });

  it('answers an empty range when both versions are the same commit', async () => {
    const range = await commitRange(gh, repo, after[2]!, after[2]!);
    expect(range).toEqual({ total: 0, shown: [], compareUrl: `https://github.com/acme/shop/compare/${after[2]}...${after[2]}` });
  });

  it("fails with the route, the status and GitHub's message for a commit GitHub does not know", async () => {
    const unknown = 'f'.repeat(40);
    await expect(commitRange(gh, repo, knownGood, unknown)).rejects.toThrow(
      `GitHub API GET /compare/${knownGood}...${unknown} failed (404): Not Found`,
    );
    expect(warnings).toEqual([]);
  });
});
