// Text from outside (a rollback reason, a check's output, a service's answer) cannot act: it forges
// no workflow command in the log, renders as the text it is in the incident and the summary (no
// link, image, HTML or entity), and a copied incident marker is never a marker.
// dist/ run as the runner runs it, against the GitHub API double, real git and the real service.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  s.github.setCollaborator('octo-maintainer', 'maintain');
});
afterEach(async () => {
  await s?.close();
});

interface RunnerCommand {
  command: string;
  data: string;
}

/**
 * The workflow commands the runner would carry out from a step's output, as actions/runner reads
 * them (ActionCommandManager, ActionCommand.TryParseV2 and TryParse): `::name ...::data` after
 * leading whitespace, `##[name ...]data` anywhere in a line, and nothing between
 * `::stop-commands::<token>` and `::<token>::`. Every name counts, registered or not.
 */
function runnerCommands(stdout: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  let stoppedBy: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseCommand(line);
    if (!command) continue;
    if (stoppedBy !== undefined) {
      if (command.command === stoppedBy) stoppedBy = undefined;
      continue;
    }
    if (command.command === 'stop-commands') stoppedBy = command.data;
    else commands.push(command);
  }
  return commands;
}

function parseCommand(line: string): RunnerCommand | undefined {
  const trimmed = line.replace(/^[\s\u0085]+/, '');
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end > 2) return { command: trimmed.slice(2, end).split(' ')[0]!, data: trimmed.slice(end + 2) };
  }
  const start = line.indexOf('##[');
  const close = start >= 0 ? line.indexOf(']', start) : -1;
  if (close > start + 3) return { command: line.slice(start + 3, close).split(' ')[0]!, data: line.slice(close + 1) };
  return undefined;
}

/** Markdown with its code blocks and code spans taken out: what GitHub renders as markdown. */
function outsideCode(markdown: string): string {
  const withoutBlocks = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1`*[ \t]*$/gm, '');
  return withoutBlocks.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

/** Links, images, raw HTML tags and character references that would render as such. */
function liveMarkdown(markdown: string): string[] {
  const text = outsideCode(markdown);
  return [
    ...(text.match(/(?<!\\)!?\[[^\]\n]*(?<!\\)\]\([^)\n]*evil[^)\n]*\)/g) ?? []),
    ...(text.match(/<\/?[a-z][^>\n]*>/gi) ?? []),
    ...(text.match(/&#x?[0-9a-f]+;/gi) ?? []),
  ];
}

const FORGED_REASON = [
  'checkout fails after v2, see [the runbook](https://evil.example/phish)',
  '::error title=Forged::deploy-guard approved this rollback',
  '::add-mask::production',
  '##[warning]forged the old way',
  '::set-output name=result::deployed',
].join('\n');

describe('a manual rollback reason', () => {
  it('is logged quoted on one line, and forges no annotation, mask or output', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2' });
    await s.deploy();
    const run = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': v1, reason: FORGED_REASON }, env: { GITHUB_ACTOR: 'octo-maintainer' } });
    expect(run.main.outputs.result, run.main.stdout).toBe('rolled-back');

    const commands = runnerCommands(run.main.stdout);
    expect(commands.filter((c) => /forged|approved/i.test(`${c.command} ${c.data}`))).toEqual([]);
    expect(commands.filter((c) => c.command === 'add-mask' && c.data === 'production')).toEqual([]);
    expect(commands.filter((c) => c.command === 'set-output')).toEqual([]);
    // JSON.parse gives the reason back; "##[" is written "##\u005b" there.
    expect(run.main.stdout).toContain(`Reason: ${JSON.stringify(FORGED_REASON).replace('##[', '##\\u005b')}\n`);

    // In the incident it is one line of text: no link, no heading, no command.
    const [incident] = await view.issues('open');
    expect(liveMarkdown(incident!.body ?? '')).toEqual([]);
    expect(incident!.body).toContain('see \\[the runbook\\](https://evil.example/phish) ::error title=Forged::');
  });
});

describe("a health check's output", () => {
  it('forges no workflow command through the log line of its round', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const checks = [
      '- type: http',
      `  url: ${s.service.url}/health`,
      '- type: command',
      '  name: smoke',
      `  run: "echo 'smoke: ##[error]forged by a check; ##[add-mask]production'; exit 1"`,
    ].join('\n');
    const run = await s.deploy({ inputs: { checks, 'health-url': '' } });
    expect(run.main.stdout).toContain('##[error]forged by a check');
    const commands = runnerCommands(run.main.stdout);
    expect(commands.filter((c) => /forged/.test(c.data))).toEqual([]);
    expect(commands.filter((c) => c.command === 'add-mask' && c.data.includes('production'))).toEqual([]);
  });

  it('shows links, images, raw HTML and entities as text in the incident and the summary', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const line = '[Click to unblock](https://evil.example/phish) ![](https://evil.example/pixel.png) <img src=https://evil.example/x.png> &#60;b&#62;bold&#x3C;/b&#x3E;';
    const checks = ['- type: http', `  url: ${s.service.url}/health`, '- type: command', '  name: smoke', `  run: ${JSON.stringify(`echo '${line}'; exit 1`)}`].join('\n');
    const run = await s.deploy({ inputs: { checks, 'health-url': '' } });

    const [incident] = await view.issues('open');
    const body = incident!.body ?? '';
    // Quoted, it shows as typed.
    expect(body).toContain('\\[Click to unblock\\](https://evil.example/phish) !\\[\\](https://evil.example/pixel.png) &lt;img src=https://evil.example/x.png&gt; &amp;#60;b&amp;#62;');
    expect(liveMarkdown(body)).toEqual([]);
    expect(run.main.summary).toContain('\\[Click to unblock\\]');
    expect(liveMarkdown(run.main.summary)).toEqual([]);
  });
});

describe('a copied incident marker', () => {
  it("of production, quoted from a service's answer in a staging incident, does not block production", async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy({ inputs: { environment: 'staging' } })).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v2', health: 'fail' });
    // The failing answer quotes a header: the production marker, as anyone could put it in a page.
    const checks = [
      '- type: http',
      '  name: echo',
      `  url: ${s.service.url}/health-echo?header=x-note`,
      '  headers:',
      "    x-note: 'copied: <!-- deploy-guard:incident environment=production -->'",
    ].join('\n');
    const staging = await s.deploy({ inputs: { environment: 'staging', checks, 'health-url': '' } });
    expect(staging.main.outputs.result).toBe('rolled-back');

    await s.commit({ version: 'v3' });
    const production = await s.deploy({ inputs: { environment: 'production' } });
    expect(production.main.outputs.result, production.main.stdout).toBe('deployed');
    // The staging incident still quotes it, as text that is no marker.
    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('copied: <\u200b!-- deploy-guard:incident environment=production -->');
    expect(incident!.body).not.toContain('<!-- deploy-guard:incident environment=production -->');
  });
});
