import { describe, expect, it } from 'vitest';
import { notifyEventOf, notifyPayload, type NotifyEvent, type NotifyEventKind, type NotifyFormat } from '../../src/report/notify-payload.ts';
import type { Failure, Outcome } from '../../src/core/outcome.ts';

const failed = 'abc1234abc1234abc1234abc1234abc1234abcd';
const good = 'def5678def5678def5678def5678def5678defa';
const place = { repository: 'acme/shop', environment: 'production', runUrl: 'https://github.com/acme/shop/actions/runs/42/attempts/1' };
const incident = { number: 12, url: 'https://github.com/acme/shop/issues/12' };

function eventOf(kind: NotifyEventKind, reason = 'unhealthy: http 1: status 500 is not in 200-299'): NotifyEvent {
  switch (kind) {
    case 'rolled-back':
      return { ...place, kind, failedSha: failed, knownGoodSha: good, reason, incident };
    case 'rollback-failed':
      return { ...place, kind, failedSha: failed, knownGoodSha: good, reason, rollbackReason: reason, incident };
    case 'no-rollback-target':
      return { ...place, kind, failedSha: failed, reason, incident };
    case 'blocked':
      return { ...place, kind, sha: failed, incidents: [{ ...incident, title: reason }, { number: 14, url: 'https://github.com/acme/shop/issues/14' }] };
    case 'recovered':
      return { ...place, kind, sha: good, incidents: [{ ...incident, title: reason }] };
    case 'manual-rollback':
      return { ...place, kind, sha: good, actor: 'octo-maintainer', reason, failure: reason, incident };
    case 'rollback-started':
      return { ...place, kind, sha: good, failedSha: failed, reason };
  }
}

const KINDS: NotifyEventKind[] = ['rolled-back', 'rollback-failed', 'no-rollback-target', 'blocked', 'recovered', 'manual-rollback', 'rollback-started'];
const FORMATS: NotifyFormat[] = ['slack', 'discord', 'json'];

interface SlackBody {
  text: string;
  blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ type: string; text: string }> }>;
}
interface DiscordBody {
  content?: string;
  embeds: Array<{ title: string; description: string; url?: string; color: number; fields: Array<{ name: string; value: string; inline?: boolean }> }>;
  allowed_mentions: { parse: string[] };
}
const slack = (event: NotifyEvent) => notifyPayload(event, 'slack') as SlackBody;
const discord = (event: NotifyEvent) => notifyPayload(event, 'discord') as DiscordBody;
const json = (event: NotifyEvent) => notifyPayload(event, 'json') as Record<string, unknown>;
/** Every string in a payload, however deep. */
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

describe('the Slack notice', () => {
  it.each(KINDS)('for %s is an incoming-webhook body: fallback text, a mrkdwn section and a links line', (kind) => {
    const body = slack(eventOf(kind));
    expect(body.text).toMatch(/^production: /);
    expect(body.text).not.toMatch(/:[a-z_]+:/); // the fallback is plain
    const [section, context] = body.blocks;
    expect(section).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(section?.text?.text).toMatch(/^:[a-z_]+: production: /);
    expect(context).toMatchObject({ type: 'context', elements: [{ type: 'mrkdwn' }] });
    expect(context?.elements?.[0]?.text).toContain(`<${place.runUrl}|workflow run>`);
    expect(context?.elements?.[0]?.text).toContain('acme/shop');
  });

  it('reads like a phone notification', () => {
    const body = slack(eventOf('rolled-back'));
    expect(body.text).toBe('production: abc1234 failed, rolled back to def5678');
    expect(body.blocks[0]?.text?.text).toBe(
      ':rotating_light: production: abc1234 failed, rolled back to def5678\nReason: unhealthy: http 1: status 500 is not in 200-299',
    );
    expect(body.blocks[1]?.elements?.[0]?.text).toBe(`acme/shop · <${incident.url}|incident #12> · <${place.runUrl}|workflow run>`);
    expect(slack(eventOf('blocked')).text).toBe('production: abc1234 not deployed, blocked by 2 open incidents (#12, #14)');
    expect(slack(eventOf('recovered')).text).toBe('production: def5678 deployed, the first deploy since incident #12 was closed');
  });

  it('escapes &, < and > in text from outside, so "<!here>" and "<@U1>" ping nobody', () => {
    const reason = 'boom <!here> <@U024BE7LH> <https://evil.example|click> & more';
    for (const kind of KINDS) {
      const body = slack({ ...eventOf(kind, reason), environment: 'prod<!channel>' });
      const all = strings(body).join('\n');
      expect(all).not.toContain('<!here>');
      expect(all).not.toContain('<!channel>');
      expect(all).not.toContain('<@U024BE7LH>');
      expect(all).not.toContain('<https://evil.example');
      expect(body.text).toContain('prod&lt;!channel&gt;');
    }
    expect(slack(eventOf('rolled-back', reason)).blocks[0]?.text?.text).toContain(
      'boom &lt;!here&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|click&gt; &amp; more',
    );
  });
});

describe('the Discord notice', () => {
  it.each(KINDS)('for %s is an execute-webhook body with one embed that pings nobody', (kind) => {
    const body = discord(eventOf(kind));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    const embed = body.embeds[0]!;
    expect(embed.title).toMatch(/^production: /);
    expect(embed.title).not.toMatch(/:[a-z_]+:/); // no Slack emoji codes
    expect(embed.description.length).toBeGreaterThan(0);
    expect(embed.url).toBe(place.runUrl);
    expect(Number.isInteger(embed.color)).toBe(true);
    expect(embed.fields.map((f) => f.name)).toContain('Repository');
    expect(embed.fields.find((f) => f.name === 'Run')?.value).toBe(`[workflow run](${place.runUrl})`);
  });

  it('names the versions and the incident in fields', () => {
    const fields = discord(eventOf('rolled-back')).embeds[0]!.fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        { name: 'Failed', value: '`abc1234`', inline: true },
        { name: 'Known-good', value: '`def5678`', inline: true },
        { name: 'Incident', value: `[#12](${incident.url})`, inline: true },
      ]),
    );
  });

  it('escapes markdown and mentions in text from outside', () => {
    const body = discord(eventOf('rolled-back', '@everyone **bold** [click](https://evil.example) <@123>'));
    expect(body.embeds[0]!.description).toBe('Reason: @everyone \\*\\*bold\\*\\* \\[click\\](https://evil.example) \\<@123\\>');
    expect(body.allowed_mentions.parse).toEqual([]);
  });
});

describe('the JSON notice', () => {
  it('is the documented version 1 object for each event', () => {
    const base = { version: 1, repository: 'acme/shop', environment: 'production', runUrl: place.runUrl };
    const reason = 'unhealthy: http 1: status 500 is not in 200-299';
    expect(json(eventOf('rolled-back'))).toEqual({
      ...base,
      event: 'rolled-back',
      failedSha: failed,
      knownGoodSha: good,
      reason,
      incident,
      summary: 'production: abc1234 failed, rolled back to def5678',
    });
    expect(json(eventOf('rollback-failed'))).toMatchObject({ ...base, event: 'rollback-failed', failedSha: failed, knownGoodSha: good, reason, rollbackReason: reason, incident });
    expect(json(eventOf('no-rollback-target'))).toMatchObject({ ...base, event: 'no-rollback-target', failedSha: failed, reason, incident });
    expect(json(eventOf('no-rollback-target'))).not.toHaveProperty('knownGoodSha');
    expect(json(eventOf('blocked'))).toMatchObject({ ...base, event: 'blocked', sha: failed, incidents: [{ ...incident, title: reason }, { number: 14, url: 'https://github.com/acme/shop/issues/14' }] });
    expect(json(eventOf('recovered'))).toMatchObject({ ...base, event: 'recovered', sha: good, incidents: [{ ...incident, title: reason }] });
  });

  it('announces a rollback as it starts: to what, after which failure or asked by whom, and no incident yet', () => {
    const base = { version: 1, repository: 'acme/shop', environment: 'production', runUrl: place.runUrl };
    const reason = 'unhealthy: http 1: status 500 is not in 200-299';
    expect(json(eventOf('rollback-started'))).toEqual({
      ...base,
      event: 'rollback-started',
      sha: good,
      failedSha: failed,
      reason,
      summary: 'production: rolling back to def5678 after abc1234 failed',
    });
    const manual: NotifyEvent = { ...place, kind: 'rollback-started', sha: good, actor: 'octo-maintainer', reason: 'checkout errors' };
    expect(json(manual)).toMatchObject({ event: 'rollback-started', sha: good, actor: 'octo-maintainer', reason: 'checkout errors' });
    expect(json(manual)).not.toHaveProperty('incident');
    expect(slack(manual).text).toBe('production: rolling back to def5678, asked by @octo-maintainer');
    expect(discord(eventOf('rollback-started')).embeds[0]!.fields.map((f) => f.name)).toEqual(['Rolling back to', 'Failed', 'Repository', 'Run']);
  });

  it('keeps its keys in a stable order', () => {
    expect(Object.keys(json(eventOf('rolled-back')))).toEqual(['version', 'event', 'repository', 'environment', 'failedSha', 'knownGoodSha', 'reason', 'incident', 'summary', 'runUrl']);
  });
});

describe('every notice is bounded', () => {
  const huge = `${'x'.repeat(3_999)}\n${'<&>*_'.repeat(1_200)}`; // 10,000 characters, lines and escapes

  it.each(KINDS)('for %s with a 10,000-character reason and incident title', (kind) => {
    const event = { ...eventOf(kind, huge), environment: 'e'.repeat(500), repository: `acme/${'r'.repeat(500)}` };
    expect(huge.length).toBe(10_000);

    const s = slack(event);
    expect(s.text.length).toBeLessThanOrEqual(300);
    expect(s.blocks[0]!.text!.text.length).toBeLessThanOrEqual(1_500);
    expect(s.blocks[1]!.elements![0]!.text.length).toBeLessThanOrEqual(3_000);

    const embed = discord(event).embeds[0]!;
    expect(embed.title.length).toBeLessThanOrEqual(256);
    expect(embed.description.length).toBeLessThanOrEqual(4_096);
    for (const field of embed.fields) {
      expect(field.name.length).toBeLessThanOrEqual(256);
      expect(field.value.length).toBeLessThanOrEqual(1_024);
    }
    const embedChars = embed.title.length + embed.description.length + embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(embedChars).toBeLessThanOrEqual(6_000); // Discord's limit for all of an embed's text

    expect(JSON.stringify(json(event)).length).toBeLessThanOrEqual(4_000);
  });

  it('says a cut reason was cut', () => {
    const s = slack(eventOf('rolled-back', 'y'.repeat(10_000)));
    expect(s.blocks[0]!.text!.text).toMatch(/y…$/);
  });
});

describe('the event an outcome calls for', () => {
  const context = { ...place, sha: failed };
  const failure: Failure = { kind: 'unhealthy', reason: 'http 1: status 500', rounds: [] };

  it('carries the outcome\'s facts and the reason as the summary words it', () => {
    const outcome: Outcome = { kind: 'rollback-failed', sha: failed, deploymentId: 1, failure, knownGoodSha: good, rollbackFailure: { kind: 'error', message: 'git push refused' }, incident };
    expect(notifyEventOf(outcome, context)).toEqual({
      ...place,
      kind: 'rollback-failed',
      failedSha: failed,
      knownGoodSha: good,
      reason: 'unhealthy: http 1: status 500',
      rollbackReason: 'git push refused',
      incident,
    });
  });

  it('names the sha a blocked run did not deploy', () => {
    expect(notifyEventOf({ kind: 'blocked', by: 'incident', incidents: [incident] }, context)).toEqual({ ...place, kind: 'blocked', sha: failed, incidents: [incident] });
  });

  it('announces a deploy only when it follows an incident', () => {
    const deployed: Outcome & { kind: 'deployed' } = { kind: 'deployed', sha: good, deploymentId: 2, rounds: [], promoted: true };
    expect(notifyEventOf(deployed, context)).toBeUndefined();
    expect(notifyEventOf({ ...deployed, recovered: [] }, context)).toBeUndefined();
    expect(notifyEventOf({ ...deployed, recovered: [incident] }, context)).toEqual({ ...place, kind: 'recovered', sha: good, incidents: [incident] });
  });

  it('announces a manual rollback with who asked and why, and says when it failed', () => {
    const outcome: Outcome = { kind: 'manual-rollback', sha: good, deploymentId: 5, incident, actor: 'octo-maintainer', reason: 'checkout <!here> is slow' };
    const event = notifyEventOf(outcome, context)!;
    expect(event).toEqual({ ...place, kind: 'manual-rollback', sha: good, actor: 'octo-maintainer', reason: 'checkout <!here> is slow', incident });
    const body = slack(event);
    expect(body.text).toBe('production: rolled back to def5678 by @octo-maintainer');
    expect(body.blocks[0]!.text!.text).toContain('Reason: checkout &lt;!here&gt; is slow');
    expect(json(event)).toMatchObject({ event: 'manual-rollback', sha: good, actor: 'octo-maintainer', incident: { number: 12 } });
    expect(json(event)).not.toHaveProperty('failure');

    const failedEvent = notifyEventOf({ ...outcome, failure }, context)!;
    expect(slack(failedEvent).text).toBe('production: the manual rollback to def5678 by @octo-maintainer failed');
    expect(json(failedEvent)).toMatchObject({ failure: 'unhealthy: http 1: status 500' });
    const embed = discord(failedEvent).embeds[0]!;
    expect(embed.color).toBe(0x86181d);
    expect(embed.fields[0]).toEqual({ name: 'Rolled back to', value: '`def5678`', inline: true });
  });

  it('is silent for outcomes nobody needs to be told about', () => {
    for (const outcome of [{ kind: 'clear' }, { kind: 'failed', message: 'x' }, { kind: 'refused', reason: 'x' }] as Outcome[]) {
      expect(notifyEventOf(outcome, context)).toBeUndefined();
    }
  });

  it.each(FORMATS)('renders every event in %s', (format) => {
    for (const kind of KINDS) expect(notifyPayload(eventOf(kind), format)).toBeTruthy();
  });
});
