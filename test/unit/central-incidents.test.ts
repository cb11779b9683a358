// The pure parts of central incidents and severities: who may freeze every environment, what a
// refusal from incident-repository says, how a raised severity is written, and the inputs.
import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { ALL_ENVIRONMENTS_MARKER, decideGate, incidentMarker, type IssueSummary } from '../../src/core/gate-decision.ts';
import { judgeIncident, type RecordedIncident } from '../../src/core/incident-judgement.ts';
import { decodePendingIncident, encodePendingIncident, type PendingIncident } from '../../src/core/pending-incident.ts';
import { severityInBody, severityMarker } from '../../src/core/severity.ts';
import { apiError } from '../../src/github/client.ts';
import { centralAccessProblem } from '../../src/github/incident-access.ts';
import { runMarker } from '../../src/phases/incident.ts';
import { incidentText, manualRollbackText, postmortemGaps, severityLabelLook, stoppedRunIncidentText, withSeverity } from '../../src/report/incident-text.ts';
import { readSettings, type InputName } from '../../src/settings.ts';

const person = (login: string) => ({ login, type: 'User' });
const issue = (number: number, body: string, author = person('ops-lead'), isPullRequest = false): IssueSummary => ({
  number,
  title: `#${number}`,
  htmlUrl: `https://github.com/acme/ops/issues/${number}`,
  body,
  isPullRequest,
  author,
});
const roles: Record<string, string> = { 'ops-lead': 'maintain', dev: 'write', triager: 'triage' };
const authors = { roleOf: (login: string) => roles[login], repository: 'acme/ops' };

describe('an issue marked for all environments', () => {
  it('blocks every environment when its author has write access or more where it is', () => {
    for (const env of ['production', 'staging']) {
      const decision = decideGate([issue(4, `${ALL_ENVIRONMENTS_MARKER}\noutage`, person('dev'))], env, 'github-actions[bot]', authors);
      expect(decision.kind).toBe('blocked');
      expect(decision.kind === 'blocked' && decision.incidents[0]).toMatchObject({ number: 4, stillBlocking: expect.stringContaining('@dev (write) marked it for all environments') });
    }
  });

  it('is ignored, saying why, from a triager, a stranger, or with no roles to judge by; a pull request never counts', () => {
    const issues = [issue(4, ALL_ENVIRONMENTS_MARKER, person('triager')), issue(5, ALL_ENVIRONMENTS_MARKER, person('stranger')), issue(6, ALL_ENVIRONMENTS_MARKER, person('ops-lead'), true)];
    const decision = decideGate(issues, 'production', undefined, authors);
    expect(decision.kind).toBe('clear');
    expect(decision.ignored.map((i) => [i.number, i.ignoredWhy])).toEqual([
      [4, 'is marked for all environments, but @triager who opened it has the triage role on acme/ops, below write'],
      [5, 'is marked for all environments, but @stranger who opened it has no role on acme/ops, below write'],
    ]);
    expect(decideGate([issue(4, ALL_ENVIRONMENTS_MARKER)], 'production', undefined).kind).toBe('clear');
  });

  it("is never one environment's marker, nor the other way round", () => {
    expect(decideGate([issue(1, incidentMarker('production'), person('ops-lead'))], 'staging', undefined, authors).kind).toBe('clear');
    expect(ALL_ENVIRONMENTS_MARKER).not.toBe(incidentMarker('production'));
  });
});

describe('what a refusal from incident-repository says', () => {
  const ops = { owner: 'acme', repo: 'ops' };
  const refusal = (status: number, method: string, url: string, message: string, headers: Record<string, string> = {}) =>
    apiError(
      'route',
      new RequestError(message, status, {
        request: { method: method as 'GET', url, headers: {} },
        response: { status, url, headers, data: { message } },
      }),
    );

  it('a 404 for the repository: the token cannot see it, and which tokens can', () => {
    const problem = centralAccessProblem(refusal(404, 'GET', 'https://api.github.com/repos/acme/ops/issues?labels=x', 'Not Found'), ops);
    expect(problem).toBe(
      'GitHub answers 404 for acme/ops, the incident-repository: it does not exist, or the token cannot see it. GITHUB_TOKEN can never reach another repository: ' +
        'pass as github-token a GitHub App installation token or a fine-grained personal access token that can reach acme/ops, with Issues: Read and write and Contents: Read and write there.',
    );
    // Through a GitHub Enterprise Server base path, and with the owner spelled otherwise.
    expect(centralAccessProblem(refusal(404, 'GET', 'https://ghe.example.com/api/v3/repos/ACME/Ops/git/matching-refs/dg/production/incidents/', 'Not Found'), ops)).toContain('404 for acme/ops');
  });

  it('a 403 names the permission the route needs', () => {
    const issues = centralAccessProblem(refusal(403, 'POST', 'https://api.github.com/repos/acme/ops/issues', 'Resource not accessible by personal access token', { 'x-accepted-github-permissions': 'issues=write' }), ops);
    expect(issues).toContain('GitHub refused the token POST /issues in acme/ops, the incident-repository (403: Resource not accessible by personal access token): it needs Issues: Read and write there (GitHub accepts: issues=write).');
    expect(centralAccessProblem(refusal(403, 'POST', 'https://api.github.com/repos/acme/ops/git/refs', 'Resource not accessible by integration'), ops)).toContain('it needs Contents: Read and write');
  });

  it('leaves alone what is not about access there: another repository, a missing issue, a rate limit, a 5xx', () => {
    expect(centralAccessProblem(refusal(404, 'GET', 'https://api.github.com/repos/acme/shop/issues', 'Not Found'), ops)).toBeUndefined();
    expect(centralAccessProblem(refusal(404, 'GET', 'https://api.github.com/repos/acme/ops/issues/7', 'Not Found'), ops)).toBeUndefined();
    expect(centralAccessProblem(refusal(403, 'GET', 'https://api.github.com/repos/acme/ops/issues', 'API rate limit exceeded for installation ID 1.'), ops)).toBeUndefined();
    expect(centralAccessProblem(refusal(403, 'GET', 'https://api.github.com/repos/acme/ops/issues', 'Forbidden', { 'x-ratelimit-remaining': '0' }), ops)).toBeUndefined();
    expect(centralAccessProblem(refusal(502, 'GET', 'https://api.github.com/repos/acme/ops/issues', 'Bad Gateway'), ops)).toBeUndefined();
    expect(centralAccessProblem(new Error('plain'), ops)).toBeUndefined();
  });
});

describe('severities in the incident', () => {
  const timeline = { start: Date.parse('2026-11-23T14:02:00Z') };
  const facts = {
    environment: 'production',
    failedSha: 'b'.repeat(40),
    deploymentId: 7,
    failure: { kind: 'error' as const, message: 'boom' },
    links: { repoUrl: 'https://github.com/acme/shop', runUrl: 'https://github.com/acme/shop/actions/runs/1' },
    timeline,
  };
  const origin = { repository: 'acme/shop', url: 'https://github.com/acme/shop' };

  it('follows what happened, and names the source repository only when kept elsewhere', () => {
    const high = incidentText({ ...facts, rollback: { sha: 'a'.repeat(40) } }, origin);
    expect(high.severity).toBe('high');
    expect(high.title).toBe('acme/shop: Deploy of bbbbbbb to production failed; rolled back to aaaaaaa');
    expect(high.body).toContain('- **Repository:** [acme/shop](https://github.com/acme/shop)');
    expect(severityInBody(high.body)).toBe('high');
    const here = incidentText(facts);
    expect(here.severity).toBe('critical');
    expect(here.title).not.toContain('acme/shop');
    expect(here.body).not.toContain('**Repository:**');
    const manual = manualRollbackText({ environment: 'production', sha: 'a'.repeat(40), deploymentId: 8, actor: 'dev', reason: 'r', runUrl: 'u', severity: 'low' });
    expect([manual.severity, severityInBody(manual.body)]).toEqual(['low', 'low']);
    expect(manualRollbackText({ environment: 'production', sha: 'a'.repeat(40), deploymentId: 8, actor: 'dev', reason: 'r', runUrl: 'u', severity: 'low', failure: facts.failure }).severity).toBe('critical');
    const pending: PendingIncident = { environment: 'production', label: 'l', prefix: 'p', failedSha: 'b'.repeat(40), failedDeploymentId: 7, failure: 'x', failedAt: 0, knownGoodSha: 'a'.repeat(40), rollbackResult: 'healthy' };
    expect(stoppedRunIncidentText(pending, { runUrl: 'u', repoUrl: 'r', openDeploymentIds: [7] }).severity).toBe('high');
    expect(stoppedRunIncidentText({ ...pending, rollbackResult: undefined }, { runUrl: 'u', repoUrl: 'r', openDeploymentIds: [7] }).severity).toBe('critical');
  });

  it('is raised in place, marker and line, keeping the rest of the body (the postmortem people wrote)', () => {
    const text = incidentText({ ...facts, rollback: { sha: 'a'.repeat(40) } });
    const written = text.body.replace('### Root cause\n', '### Root cause\nA missing key.\n');
    const raised = withSeverity(written, 'high', 'critical');
    expect(severityInBody(raised)).toBe('critical');
    expect(raised).toContain('- **Severity:** critical (raised from high by a later event; see the comments)');
    expect(raised).not.toContain('- **Severity:** high');
    expect(raised.replace(severityMarker('critical'), severityMarker('high')).replace(/^- \*\*Severity:\*\* .*$/m, '- **Severity:** high')).toBe(written);
    // A body without deploy-guard's lines gets both.
    expect(severityInBody(withSeverity('hand-written', 'medium', 'high'))).toBe('high');
    expect(severityLabelLook('critical').color).toBe('b60205');
  });

  it('decides whether require-postmortem asks for a postmortem, from the marker (none: critical)', () => {
    const body = incidentText({ ...facts, rollback: { sha: 'a'.repeat(40) } }).body; // high, postmortem empty
    expect(postmortemGaps(body).length).toBe(2);
    const closed = (text: string): RecordedIncident => ({
      number: 1, title: 't', htmlUrl: 'h', body: text, state: 'closed', stateReason: 'completed', author: { login: 'bot', type: 'Bot' }, closedBy: 'dev', events: [{ event: 'closed', actor: 'dev' }],
    });
    const judge = (text: string, requirePostmortem: boolean | 'low' | 'medium' | 'high' | 'critical') => judgeIncident(closed(text), { label: 'l', requirePostmortem }, () => 'write', undefined).blocking;
    expect(judge(body, 'high')).toBe(true);
    expect(judge(body, 'critical')).toBe(false);
    expect(judge(body, true)).toBe(true);
    expect(judge(body.replace(severityMarker('high'), ''), 'critical')).toBe(true);
    expect(judge(body.replace(severityMarker('high'), severityMarker('low')), 'medium')).toBe(false);
  });
});

describe('the inputs', () => {
  const read = (inputs: Partial<Record<InputName, string>>) =>
    readSettings((name) => ({ 'github-token': 'ghs_x', 'deploy-command': 'x', 'health-url': 'https://e.com', ...inputs })[name as string] ?? '');

  it('require-postmortem takes true, false or a severity; incident-repository owner/name', async () => {
    const settings = async (inputs: Partial<Record<InputName, string>>) => {
      const result = await read(inputs);
      if (!result.ok) throw new Error(result.errors.join('\n'));
      return result.settings;
    };
    expect((await settings({})).requirePostmortem).toBeUndefined();
    expect((await settings({ 'require-postmortem': 'true' })).requirePostmortem).toBe('low');
    expect((await settings({ 'require-postmortem': 'high' })).requirePostmortem).toBe('high');
    expect((await settings({})).incidentRepository).toBeUndefined();
    expect((await settings({ 'incident-repository': 'acme/ops.team_1' })).incidentRepository).toEqual({ owner: 'acme', repo: 'ops.team_1' });
    expect((await settings({ mode: 'rollback', reason: 'r', severity: 'critical' })).severity).toBe('critical');
    expect((await settings({})).severity).toBe('medium');
  });
});

describe("a run's marker", () => {
  it('names the repository when incidents from several repositories meet, since run ids are unique within a repository only', () => {
    expect(runMarker({ runId: '12', runAttempt: '1' })).toBe('<!-- deploy-guard:run=12-1 -->');
    expect(runMarker({ runId: '12', runAttempt: '1' }, { owner: 'acme', repo: 'shop' })).toBe('<!-- deploy-guard:run=acme/shop/12-1 -->');
  });

  it('the pending incident keeps incident-repository for the post step', () => {
    const pending: PendingIncident = { environment: 'production', label: 'l', prefix: 'p', repository: 'acme/ops', failedSha: 's', failedDeploymentId: 1, failure: 'f', failedAt: 0 };
    expect(decodePendingIncident(encodePendingIncident(pending))).toEqual(pending);
    expect(decodePendingIncident(JSON.stringify({ ...pending, repository: 'no-slash' }))).toBeUndefined();
  });
});
