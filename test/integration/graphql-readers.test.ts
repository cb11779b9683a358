// deploy-guard's GraphQL readers (src/github/deployment-history.ts) against the
// double, each beside the REST readers it can replace: the same answers for the same repository, in
// as few requests as the reads need, and GitHub's errors named.
import { afterEach, describe, expect, it } from 'vitest';
import { chooseKnownGood } from '../../src/core/known-good.ts';
import { newestProven } from '../../src/core/history-window.ts';
import { statusReport } from '../../src/core/status-report.ts';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.ts';
import { readRecentOwnDeployments, readStatusHistory } from '../../src/github/deployment-history.ts';
import { DEPLOY_GUARD_TASK, markerFacts, ownMarker, type DeploymentRecord } from '../../src/github/deployments.ts';
import type { EarlierDeployment } from '../../src/core/deploy-lock.ts';
import { readTag } from '../../src/github/tags.ts';
import type { Log } from '../../src/log.ts';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble, type SeedDeployment } from '../support/github-double/index.ts';

const DAY = 86_400_000;
const TASK = 'deploy:deploy-guard';
const log: Log = { info: () => {}, warning: () => {}, error: () => {}, group: (_t, body) => body() };
const KNOWN_GOOD = 'tags/deploy-guard/production/known-good';

/** The same answer read over REST, a request per deployment: deploy-guard's deployments of production before `ownId`, newest first. */
async function earlierOverRest(gh: GitHubClient, where: { owner: string; repo: string }, ownId: number, limit: number): Promise<EarlierDeployment[]> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/deployments', { ...where, environment: 'production', task: DEPLOY_GUARD_TASK, per_page: 100 });
  const own = data.filter((d) => ownMarker(d.payload) && Number(d.id) < ownId).slice(0, limit);
  return Promise.all(
    own.map(async (d) => {
      const { data: statuses } = await gh.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...where, deployment_id: Number(d.id), per_page: 100 });
      const latest = statuses[0];
      const { rollback, dryRun, drill } = markerFacts(ownMarker(d.payload) ?? {});
      return {
        id: Number(d.id),
        sha: d.sha,
        state: latest?.state,
        since: latest?.created_at ?? d.created_at,
        rollback,
        logUrl: latest?.log_url ?? undefined,
        succeeded: statuses.some((st) => st.state === 'success'),
        dryRun,
        ...(drill ? { drill } : {}),
      };
    }),
  );
}

/** A run as GitHub and deploy-guard leave it: the job's own deployment, then deploy-guard's. */
function run(sha: string, at: number, own: { states: SeedDeployment['statuses']; marker?: Record<string, unknown> }, environment = 'production'): SeedDeployment[] {
  return [
    { sha, environment, creator: 'octocat', at, statuses: [{ state: 'queued' }, { state: 'in_progress' }, { state: 'success' }] },
    { sha, environment, task: TASK, at, payload: { 'deploy-guard': { rollback: false, ...own.marker } }, statuses: own.states },
  ];
}

const healthy = (at: number): SeedDeployment['statuses'] => [{ state: 'in_progress', at }, { state: 'success', at: at + 300_000 }];

describe('GraphQL readers beside the REST readers', () => {
  let repo: FixtureRepo;
  let double: GitHubDouble;
  let gh: GitHubClient;
  const where = { owner: 'acme', repo: 'shop' };

  const started = async () => {
    repo = await createFixtureRepo(3);
    double = await startGitHubDouble({ bareRepoPath: repo.bare });
    gh = createGitHubClient({ token: 'ghs_test', baseUrl: double.url, log, userAgent: 'deploy-guard-test' });
  };
  const counted = async <T>(read: () => Promise<T>): Promise<{ value: T; requests: string[] }> => {
    const before = double.requests.length;
    const value = await read();
    return { value, requests: double.requests.slice(before).map((r) => `${r.method} ${r.path}${r.operation ? ` ${r.operation}` : ''}`) };
  };

  /** The oracle: deploy-guard's deployments and their statuses as REST lists them (one request per deployment), with each commit's time. */
  async function restRecords(environment: string): Promise<DeploymentRecord[]> {
    const list = await gh.paginate('GET /repos/{owner}/{repo}/deployments', { ...where, environment, task: TASK, per_page: 100 });
    const own = list.flatMap((d) => {
      const marker = ownMarker(d.payload);
      return marker ? [{ d, marker }] : [];
    });
    return Promise.all(
      own.map(async ({ d, marker }) => {
        const { data } = await gh.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...where, deployment_id: Number(d.id), per_page: 100 });
        const committedAt = (await gh.request('GET /repos/{owner}/{repo}/commits/{ref}', { ...where, ref: d.sha })).data.commit.committer?.date;
        const statuses = data.map((s) => ({ state: s.state, createdAt: s.created_at, description: s.description ?? '' }));
        return { id: d.id, sha: d.sha, createdAt: d.created_at, ...markerFacts(marker), ...(committedAt ? { committedAt } : {}), statuses };
      }),
    );
  }

  afterEach(async () => {
    await double?.close();
    await repo?.cleanup();
  });

  describe('readStatusHistory (status mode)', () => {
    it('reads the period in pages of 100, the same requests however long the history before it', async () => {
      const counts: Record<number, string[]> = {};
      for (const history of [0, 10, 1_000, 10_000]) {
        await started();
        const now = Date.now();
        const [a, b] = repo.commits as [string, string];
        // `history` runs, all before the period; then the same 60 runs in it.
        double.seed.deployments(Array.from({ length: history }, (_, i) => run(a, now - 400 * DAY + i * 60_000, { states: healthy(now - 400 * DAY + i * 60_000) })).flat());
        double.seed.deployments(Array.from({ length: 60 }, (_, i) => run(i % 2 ? a : b, now - (29 - i * 0.4) * DAY, { states: healthy(now - (29 - i * 0.4) * DAY) })).flat());
        const { value, requests } = await counted(() => readStatusHistory(gh, where, { environment: 'production', ref: `refs/${KNOWN_GOOD}`, now }));
        counts[history] = requests;
        expect(value.pages).toBe(requests.length);
        expect(value.deployments.filter((d) => Date.parse(d.createdAt) >= now - 30 * DAY)).toHaveLength(60);
        await double.close();
        await repo.cleanup();
      }
      // 120 deployments in the period (60 runs, each with the job's own): two pages, the second reaching before it.
      expect(counts[0]).toEqual(['POST /graphql DeploymentHistory', 'POST /graphql DeploymentHistory']);
      for (const history of [10, 1_000, 10_000]) expect(counts[history]).toEqual(counts[0]);
    });

    it('gives the report the REST reads gave, known-good from the tag and the deployments', async () => {
      await started();
      const now = Date.now();
      const [a, b, c] = repo.commits as [string, string, string];
      const [bad] = double.seed.deployments(run(b, now - 40 * DAY, { states: healthy(now - 40 * DAY) })).slice(1);
      double.seed.deployments([
        ...run(c, now - 10 * DAY, { states: [{ state: 'in_progress' }, { state: 'failure' }] }),
        ...run(a, now - 10 * DAY + 60_000, { states: healthy(now - 10 * DAY + 60_000), marker: { rollback: true, 'rollback-of': bad!.id } }),
        ...run(c, now - DAY, { states: [{ state: 'in_progress' }, { state: 'success' }], marker: { 'dry-run': true } }),
        // A drill: its healthy back leg (b) is the newest success, and proves nothing; neither leg is a deploy.
        ...run(b, now - 3 * 3_600_000, { states: healthy(now - 3 * 3_600_000), marker: { drill: 'back', 'drill-run': 77 } }),
        ...run(a, now - 2 * 3_600_000, { states: [{ state: 'in_progress' }, { state: 'failure' }], marker: { drill: 'forward', 'drill-run': 77 } }),
        ...run(a, now - 2 * 60_000, { states: [{ state: 'in_progress' }] }),
      ]);
      await gh.request('POST /repos/{owner}/{repo}/git/refs', { ...where, ref: `refs/${KNOWN_GOOD}`, sha: b });

      const { value, requests } = await counted(() => readStatusHistory(gh, where, { environment: 'production', ref: `refs/${KNOWN_GOOD}`, now }));
      expect(requests).toEqual(['POST /graphql DeploymentHistory']);
      const rest = await restRecords('production');
      expect(value.deployments).toEqual(rest);
      expect(value.refSha).toBe(await readTag(gh, where, KNOWN_GOOD));
      const report = (deployments: DeploymentRecord[], tag: string | undefined) =>
        statusReport({ environment: 'production', knownGoodSha: chooseKnownGood(tag, newestProven(deployments)).sha, deployments, openIncidents: [], now });
      expect(report(value.deployments, value.refSha)).toEqual(report(rest, b));
      expect(report(value.deployments, value.refSha)).toMatchObject({ knownGood: { sha: a }, last30Days: { deploys: 3, rollbacks: 1 } });
      expect(value.deployments.filter((d) => d.drill).map((d) => [d.drill, d.drillRun])).toEqual([['forward', 77], ['back', 77]]);
    });

    it('reads past the period for the newest ten, the version that last passed its window, and what a rollback undid', async () => {
      await started();
      const now = Date.now();
      const [a, b] = repo.commits as [string, string];
      // Long ago: a healthy deploy of a, then 150 foreign deployments, then failures of b; in the period only a rollback of the last one.
      double.seed.deployments(run(a, now - 300 * DAY, { states: healthy(now - 300 * DAY) }));
      double.seed.deployments(Array.from({ length: 150 }, (_, i) => ({ sha: b, environment: 'production', at: now - 200 * DAY + i * 60_000 })));
      const failed = double.seed.deployments(Array.from({ length: 12 }, (_, i) => run(b, now - 100 * DAY + i * DAY, { states: [{ state: 'in_progress' }, { state: 'failure' }] })).flat()).at(-1)!;
      double.seed.deployments(Array.from({ length: 300 }, (_, i) => ({ sha: b, environment: 'production', at: now - 50 * DAY + i * 60_000 })));
      double.seed.deployments(run(a, now - DAY, { states: [{ state: 'in_progress' }, { state: 'failure' }], marker: { rollback: true, 'rollback-of': failed.id } }));

      const { value } = await counted(() => readStatusHistory(gh, where, { environment: 'production', ref: `refs/${KNOWN_GOOD}`, now }));
      // Past 300 foreign deployments to what the rollback undid and the newest ten (page 4), then past 150 more to the last healthy version (page 5).
      expect(value.deployments.map((d) => d.id)).toContain(failed.id);
      expect(value.deployments.length).toBe(14);
      expect(newestProven(value.deployments)?.sha).toBe(a);
      expect(value.pages).toBe(5);
    });

    it('names the query and GitHub\'s message when GitHub answers with errors, and refuses a broken answer', async () => {
      await started();
      double.faults.add({ path: '/graphql', operation: 'DeploymentHistory', rawBody: JSON.stringify({ data: null, errors: [{ type: 'FORBIDDEN', path: ['repository', 'deployments'], message: 'Resource not accessible by integration' }] }), times: 1 });
      await expect(readStatusHistory(gh, where, { environment: 'production', ref: `refs/${KNOWN_GOOD}`, now: Date.now() })).rejects.toThrow(
        'GitHub GraphQL query DeploymentHistory failed: FORBIDDEN: Resource not accessible by integration',
      );
      double.faults.add({ path: '/graphql', rawBody: JSON.stringify({ data: { repository: { deployments: { nodes: null } } } }), times: 1 });
      await expect(readStatusHistory(gh, where, { environment: 'production', ref: `refs/${KNOWN_GOOD}`, now: Date.now() })).rejects.toThrow(
        'GitHub GraphQL query DeploymentHistory answered deployments without nodes and page info; not deciding on it',
      );
    });
  });

  describe('readRecentOwnDeployments (what the claim and known-good read)', () => {
    it('answers what the REST deployments, their statuses and readTag answer, in one request', async () => {
      await started();
      const now = Date.now();
      const [a, b, c] = repo.commits as [string, string, string];
      double.seed.deployments([
        ...Array.from({ length: 14 }, (_, i) => run(i % 2 ? a : b, now - (20 - i) * DAY, { states: healthy(now - (20 - i) * DAY) })).flat(),
        ...run(c, now - 3 * DAY, { states: [{ state: 'in_progress' }, { state: 'success' }, { state: 'inactive' }], marker: { 'dry-run': true } }),
        ...run(c, now - 2 * DAY, { states: [{ state: 'in_progress' }, { state: 'error' }], marker: { rollback: true } }),
        ...run(c, now - DAY, { states: healthy(now - DAY), marker: { drill: 'back', 'drill-run': 5 } }),
        ...run(a, now - 60_000, { states: [{ state: 'in_progress' }] }),
      ]);
      const ownId = double.state.deployments.at(-1)!.id;
      await repo.git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'tag', '-a', 'deploy-guard/production/known-good', '-m', 'known good', b]);
      await repo.git(['push', '--quiet', 'origin', 'refs/tags/deploy-guard/production/known-good']);

      const rest = await earlierOverRest(gh, where, ownId, 10);
      const { value, requests } = await counted(() => readRecentOwnDeployments(gh, where, { environment: 'production', ref: `refs/${KNOWN_GOOD}`, limit: 10, before: ownId }));
      expect(requests).toEqual(['POST /graphql DeploymentHistory']);
      // REST's log_url is '' where GraphQL has no URL.
      expect(value.deployments).toEqual(rest.map((d) => ({ ...d, logUrl: d.logUrl || undefined })));
      expect(value.deployments).toHaveLength(10);
      expect(value.deployments.find((d) => d.drill)).toMatchObject({ sha: c, drill: 'back', succeeded: true });
      expect(value.refSha).toBe(await readTag(gh, where, KNOWN_GOOD));
      expect(value.refSha).toBe(b);
    });

    it('pages on when the newest 100 deployments hold fewer than asked for', async () => {
      await started();
      const now = Date.now();
      const [a] = repo.commits as [string];
      double.seed.deployments(Array.from({ length: 3 }, (_, i) => run(a, now - (5 - i) * DAY, { states: healthy(now - (5 - i) * DAY) })).flat());
      double.seed.deployments(Array.from({ length: 120 }, (_, i) => ({ sha: a, environment: 'production', at: now - DAY + i * 60_000 })));
      const { value, requests } = await counted(() => readRecentOwnDeployments(gh, where, { environment: 'production', ref: `refs/${KNOWN_GOOD}`, limit: 10 }));
      expect(requests).toHaveLength(2);
      expect(value.deployments).toHaveLength(3);
      expect(value.refSha).toBeUndefined();
    });
  });
});
