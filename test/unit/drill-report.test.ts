// What a drill reports: its outputs and exit code, its job summary, and the incident of a failed one.
import { describe, expect, it } from 'vitest';
import { stepResult, type DrillLegResult, type Outcome } from '../../src/core/outcome.ts';
import { drillIncidentText } from '../../src/report/drill-text.ts';
import { postmortemGaps } from '../../src/report/incident-text.ts';
import { summaryMarkdown } from '../../src/report/summary-text.ts';

const OLD = '1'.repeat(40);
const GOOD = '2'.repeat(40);
const REPO_URL = 'https://github.com/acme/shop';
const back = (failure?: DrillLegResult['failure']): DrillLegResult => ({ leg: 'back', sha: OLD, deploymentId: 11, rounds: [], ...(failure ? { failure } : {}) });
const forward = (failure?: DrillLegResult['failure']): DrillLegResult => ({ leg: 'forward', sha: GOOD, deploymentId: 12, rounds: [], ...(failure ? { failure } : {}) });
const unhealthy = { kind: 'unhealthy' as const, reason: '3 failed rounds in a row', rounds: [] };
const incident = { number: 7, url: `${REPO_URL}/issues/7` };
const drill = (b: DrillLegResult, f?: DrillLegResult, withIncident = false): Extract<Outcome, { kind: 'drill' }> => ({
  kind: 'drill',
  knownGoodSha: GOOD,
  back: b,
  ...(f ? { forward: f } : {}),
  ...(withIncident ? { incident } : {}),
});

describe('drill outputs', () => {
  it('a passed drill exits 0 with both deployments, known-good and what it ended on', () => {
    expect(stepResult(drill(back(), forward()), GOOD)).toEqual({
      outputs: { result: 'drill-passed', 'deployment-id': '12', 'drill-deployments': '{"back":11,"forward":12}', 'known-good-sha': GOOD, 'deployed-sha': GOOD },
      exitCode: 0,
    });
  });
  it('a failed drill exits 1 with its incident; a forward leg that never started leaves deployed-sha empty', () => {
    expect(stepResult(drill(back(unhealthy), forward(), true), GOOD)).toMatchObject({ outputs: { result: 'drill-failed', 'incident-number': '7', 'deployed-sha': GOOD }, exitCode: 1 });
    const noForward = stepResult(drill(back({ kind: 'error', message: 'x' })), GOOD);
    expect(noForward).toMatchObject({ outputs: { result: 'drill-failed', 'deployment-id': '11', 'drill-deployments': '{"back":11}' }, exitCode: 1 });
    expect(noForward.outputs['deployed-sha']).toBeUndefined();
  });
  it('a skipped drill exits 0', () => {
    expect(stepResult({ kind: 'drill-skipped', reason: 'nothing to drill' }, GOOD)).toEqual({ outputs: { result: 'drill-skipped', 'known-good-sha': GOOD }, exitCode: 0 });
  });
});

describe('the drill summary', () => {
  it('says whether it passed, and lists both legs', () => {
    const passed = summaryMarkdown(drill(back(), forward()), 'production', { links: { repoUrl: REPO_URL, runUrl: 'https://run' } });
    expect(passed).toContain('Rollback drill of **production** passed');
    expect(passed).toContain(`| Back (rollback command) | [\`1111111\`](${REPO_URL}/commit/${OLD}) | 11 | healthy for its whole window |`);
    expect(passed).toContain(`| Forward (deploy command) | [\`2222222\`](${REPO_URL}/commit/${GOOD}) | 12 | healthy for its whole window |`);
    const failed = summaryMarkdown(drill(back(unhealthy), forward(), true), 'production');
    expect(failed).toContain('failed: the rollback to the previous version (back leg)');
    expect(failed).toContain('| **failed:** unhealthy: 3 failed rounds in a row |');
    expect(failed).toContain(`Incident: [#7](${incident.url})`);
    expect(summaryMarkdown({ kind: 'drill-skipped', reason: 'no previous proven version.' }, 'production')).toContain('Rollback drill of **production** skipped: no previous proven version. Nothing was deployed.');
  });
});

describe('the incident of a failed drill', () => {
  const facts = { environment: 'production', knownGoodSha: GOOD, actor: 'octo-maintainer', runUrl: 'https://run', repoUrl: REPO_URL };
  it('a failed back leg: high, the rollback path is broken, production is on known-good again', () => {
    const text = drillIncidentText({ ...facts, back: back(unhealthy), forward: forward() });
    expect(text.severity).toBe('high');
    expect(text.title).toBe('Rollback drill of production failed: the rollback to 1111111 failed, so the rollback path is broken');
    expect(text.body).toContain('<!-- deploy-guard:incident environment=production -->');
    expect(text.body).toContain('<!-- deploy-guard:severity=high -->');
    expect(text.body).toContain('- Back (rollback command): unhealthy: 3 failed rounds in a row');
    expect(text.body).toContain('1. Nothing is urgent: production serves known-good again.');
    expect(postmortemGaps(text.body)).toEqual(['Root cause', 'Corrective actions']);
  });
  it('a failed forward leg, or one that never ran: critical, production may be on the older version', () => {
    for (const f of [forward({ kind: 'command-failed', exitCode: 3, signal: null, timedOut: false, timeoutMs: 1 }), undefined]) {
      const text = drillIncidentText({ ...facts, back: back(), forward: f });
      expect(text.severity).toBe('critical');
      expect(text.title).toBe('Rollback drill of production: rolling forward to known-good 2222222 failed; production may be on 1111111');
      expect(text.body).toContain(`1. **Now:** check what production is serving. Put known-good \`${GOOD}\` back`);
      expect(text.body).toContain(f ? '- Forward (deploy command): the command exited with code 3' : '- Forward (deploy command): did not run');
    }
  });
  it('names the repository when kept elsewhere', () => {
    const text = drillIncidentText({ ...facts, back: back(unhealthy), forward: forward(), origin: { repository: 'acme/shop', url: REPO_URL } });
    expect(text.title.startsWith('acme/shop: Rollback drill of production failed')).toBe(true);
    expect(text.body).toContain('- **Repository:** [acme/shop]');
  });
});
