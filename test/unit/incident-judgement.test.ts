import { describe, expect, it } from 'vitest';
import { actorsToCheck, judgeIncident, labelRemovedBy, type RecordedIncident } from '../../src/core/incident-judgement.ts';
import { incidentText } from '../../src/report/incident-text.ts';

const bot = { login: 'github-actions[bot]', type: 'Bot' };
const roles: Record<string, string> = { 'ops-lead': 'maintain', triager: 'triage', dev: 'write' };
const roleOf = (login: string) => roles[login];
const incident = (over: Partial<RecordedIncident> = {}): RecordedIncident => ({
  number: 12,
  title: 'production: abc1234 failed',
  htmlUrl: 'https://github.com/acme/shop/issues/12',
  body: 'body',
  state: 'closed',
  stateReason: 'completed',
  author: bot,
  closedBy: 'ops-lead',
  events: [
    { event: 'labeled', actor: 'github-actions[bot]', label: 'deploy-incident' },
    { event: 'closed', actor: 'ops-lead' },
  ],
  ...over,
});
const rules = { label: 'deploy-incident', closerRole: 'maintain' as const };

describe('judging a recorded incident', () => {
  it('blocks while open, even with its label taken off', () => {
    const open = incident({ state: 'open', closedBy: undefined, events: [{ event: 'unlabeled', actor: 'triager', label: 'deploy-incident' }] });
    expect(judgeIncident(open, rules, roleOf, undefined)).toMatchObject({ blocking: true, why: expect.stringContaining('taken off by @triager, which does not unblock') });
    expect(judgeIncident(incident({ state: 'open', events: [] }), { label: 'deploy-incident' }, roleOf, undefined)).toMatchObject({ blocking: true, why: 'it is open' });
  });

  it('unblocks when closed by someone with the role, and keeps blocking when closed below it', () => {
    expect(judgeIncident(incident(), rules, roleOf, undefined)).toMatchObject({ blocking: false });
    const byTriager = incident({ closedBy: 'triager', events: [{ event: 'closed', actor: 'triager' }] });
    expect(judgeIncident(byTriager, rules, roleOf, undefined)).toMatchObject({ blocking: true, why: expect.stringContaining('closed by @triager (triage)') });
  });

  it('judges the last close: reopened by a maintainer and closed again by a triager still blocks', () => {
    const events = [
      { event: 'closed', actor: 'ops-lead' },
      { event: 'reopened', actor: 'ops-lead' },
      { event: 'closed', actor: 'triager' },
    ];
    expect(judgeIncident(incident({ closedBy: 'triager', events }), rules, roleOf, undefined)).toMatchObject({ blocking: true });
  });

  it('keeps blocking when someone below the role took the label off, even after a proper close', () => {
    const events = [
      { event: 'closed', actor: 'ops-lead' },
      { event: 'unlabeled', actor: 'triager', label: 'Deploy-Incident' },
    ];
    expect(labelRemovedBy(incident({ events }), 'deploy-incident')).toBe('triager');
    expect(judgeIncident(incident({ events }), rules, roleOf, undefined)).toMatchObject({ blocking: true, why: expect.stringContaining('taken off by @triager (triage)') });
    const putBack = [...events, { event: 'labeled', actor: 'ops-lead', label: 'deploy-incident' }];
    expect(judgeIncident(incident({ events: putBack }), rules, roleOf, undefined)).toMatchObject({ blocking: false });
  });

  it('without incident-closer-role, any close unblocks and label changes do not matter', () => {
    const events = [{ event: 'unlabeled', actor: 'triager', label: 'deploy-incident' }, { event: 'closed', actor: 'triager' }];
    expect(judgeIncident(incident({ closedBy: 'triager', events }), { label: 'deploy-incident' }, roleOf, undefined)).toMatchObject({ blocking: false });
    expect(actorsToCheck(incident({ events }), { label: 'deploy-incident' })).toEqual([]);
  });

  it('with require-postmortem, an empty postmortem blocks however the issue was closed', () => {
    const text = incidentText({
      environment: 'production',
      failedSha: 'a'.repeat(40),
      deploymentId: 1,
      failure: { kind: 'command-failed', exitCode: 1, signal: null, timedOut: false, timeoutMs: 1000 },
      links: { repoUrl: 'https://github.com/acme/shop', runUrl: 'https://github.com/acme/shop/actions/runs/1' },
      timeline: { start: 0 },
    });
    const judged = judgeIncident(incident({ body: text.body }), { label: 'deploy-incident', requirePostmortem: true }, roleOf, undefined);
    expect(judged).toMatchObject({ blocking: true, postmortemGaps: ['Root cause', 'Corrective actions'] });
  });

  it("does not block for a duplicate deploy-guard closed itself, and needs no role for it", () => {
    const dup = incident({ closedBy: 'github-actions[bot]', stateReason: 'not_planned', events: [{ event: 'closed', actor: 'github-actions[bot]' }] });
    // The same identity closing it as completed (another workflow with GITHUB_TOKEN) is judged like anyone.
    expect(judgeIncident({ ...dup, stateReason: 'completed' }, rules, roleOf, undefined)).toMatchObject({ blocking: true });
    expect(judgeIncident(dup, rules, roleOf, undefined)).toMatchObject({ blocking: false, why: 'closed by deploy-guard as a duplicate' });
    expect(judgeIncident(dup, rules, roleOf, 'github-actions[bot]')).toMatchObject({ blocking: false });
    // Another bot closing deploy-guard's incident is no such thing.
    const other = incident({ closedBy: 'stale[bot]', events: [{ event: 'closed', actor: 'stale[bot]' }] });
    expect(judgeIncident(other, rules, roleOf, 'github-actions[bot]')).toMatchObject({ blocking: true });
  });

  it('asks for the roles of the closer and of whoever took the label off', () => {
    const events = [{ event: 'unlabeled', actor: 'triager', label: 'deploy-incident' }, { event: 'closed', actor: 'ops-lead' }];
    expect(actorsToCheck(incident({ events }), rules).sort()).toEqual(['ops-lead', 'triager']);
  });
});
