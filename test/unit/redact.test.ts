// The redactor, alone: which secrets it knows, in which forms, where a bound cut one, and what it
// leaves alone. Also the doors' helpers: a write to GitHub, text for the log, quoted markdown.
import { describe, expect, it } from 'vitest';
import { codeBlock, codeSpan, escapeCell } from '../../src/report/markdown.ts';
import { quoteForLog, readsAsCommand, withCommandsStopped } from '../../src/report/log-text.ts';
import {
  createRedactor,
  deployEnvSecrets,
  MIN_SECRET_CHARS,
  redactUrlSecrets,
  secretUrlParts,
  shownUrl,
  urlSecrets,
} from '../../src/core/redact.ts';
import { redactWrite } from '../../src/github/client.ts';

const SECRET = 'sk_live_a1b2c3d4';

describe('createRedactor', () => {
  const r = createRedactor([SECRET, 'pa ss&<wörd>"\\']);

  it('replaces every occurrence, as written', () => {
    expect(r.text(`key ${SECRET} and again ${SECRET}.`)).toBe('key *** and again ***.');
  });

  it.each([
    ['URL-encoded', encodeURIComponent('pa ss&<wörd>"\\')],
    ['form-encoded', encodeURIComponent('pa ss&<wörd>"\\').replace(/%20/g, '+')],
    ['URL-encoded in lower case', encodeURIComponent('pa ss&<wörd>"\\').replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['JSON-escaped', JSON.stringify('pa ss&<wörd>"\\').slice(1, -1)],
    ['HTML-escaped', 'pa ss&amp;&lt;wörd&gt;&quot;\\'],
    ['escaped for a markdown cell', escapeCell('pa ss&<wörd>"\\')],
  ])('replaces it %s', (_form, written) => {
    expect(r.text(`[${written}]`)).toBe('[***]');
  });

  it(`ignores values shorter than ${MIN_SECRET_CHARS} characters, and blank ones`, () => {
    const short = createRedactor(['1', 'true', 'abcde', '      ', '']);
    expect(short.text('1 true abcde')).toBe('1 true abcde');
    expect(createRedactor(['abcdef']).text('xabcdefx')).toBe('x***x');
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    expect(createRedactor(['abcdef', 'abcdefghij']).text('abcdefghij')).toBe('***');
  });

  it('redacts the start of a secret left before "…" and its end left after "…"', () => {
    expect(r.text(`body: ${SECRET.slice(0, 5)}…`)).toBe('body: ***…');
    expect(r.text(`…${SECRET.slice(-4)} end`)).toBe('…*** end');
    // Shorter than 3 characters: not a part of the secret worth hiding, and often a coincidence.
    expect(r.text('body: sk…')).toBe('body: sk…');
    // An ellipsis with nothing of a secret next to it is left as it is.
    expect(r.text('a… b…')).toBe('a… b…');
  });

  it("redacts URL credentials and credential query parameters by their place, whatever the value's length", () => {
    expect(createRedactor([]).text('see https://ci:pw@example.com/x?token=ab&page=2#frag')).toBe('see https://***@example.com/x?token=***&page=2#frag');
    expect(createRedactor([]).text('"http://TOKEN@host/health"')).toBe('"http://***@host/health"');
  });

  it('walks objects and arrays, leaving keys and other values alone', () => {
    const value = { [SECRET]: SECRET, list: [`a ${SECRET}`, 3, true, null], nested: { deep: SECRET } };
    expect(r.deep(value)).toEqual({ [SECRET]: '***', list: ['a ***', 3, true, null], nested: { deep: '***' } });
    expect(value.nested.deep).toBe(SECRET);
  });
});

describe('redactUrlSecrets', () => {
  it.each([
    ['token', true],
    ['access_token', true],
    ['api_key', true],
    ['apiKey', true],
    ['x-api-key', true],
    ['key', true],
    ['sig', true],
    ['X-Amz-Signature', true],
    ['X-Amz-Credential', true],
    ['client_secret', true],
    ['password', true],
    ['auth', true],
    ['sessionid', true],
    ['page', false],
    ['monkey', false],
    ['design', false],
    ['query', false],
  ])('a query parameter named %s is a credential: %s', (name, secret) => {
    expect(redactUrlSecrets(`https://h/p?${name}=v4lue`)).toBe(secret ? `https://h/p?${name}=***` : `https://h/p?${name}=v4lue`);
  });

  it('finds parameters after an escaped "&amp;" and stops a value at quotes, spaces and brackets', () => {
    expect(redactUrlSecrets('<a href="/x?a=1&amp;token=abc">')).toBe('<a href="/x?a=1&amp;token=***">');
    expect(redactUrlSecrets('[link](https://h/?sig=abc) next')).toBe('[link](https://h/?sig=***) next');
  });
});

describe('urlSecrets', () => {
  it('yields the password as written and decoded, and the Basic credentials sent for it', () => {
    const secrets = urlSecrets('https://deployer:p%40ss-word@host/x');
    expect(secrets).toEqual(expect.arrayContaining(['p%40ss-word', 'p@ss-word', Buffer.from('deployer:p@ss-word').toString('base64')]));
    expect(secrets).not.toContain('deployer');
  });

  it('yields a user name written without a password (a token), and credential query values', () => {
    expect(urlSecrets('https://ghp_abcdef123@host/x?token=q-123456&page=2')).toEqual(
      expect.arrayContaining(['ghp_abcdef123', Buffer.from('ghp_abcdef123:').toString('base64'), 'q-123456']),
    );
    expect(urlSecrets('https://host/x?page=2')).toEqual([]);
    expect(urlSecrets('not a url')).toEqual([]);
  });

  it('keeps a bad percent-escape as written instead of throwing', () => {
    expect(urlSecrets('http://u:50%zz@host/')).toContain('50%zz');
  });
});

describe('shownUrl', () => {
  it('hides credentials and query tokens, parsable or not', () => {
    expect(shownUrl('https://u:p@host/x?token=t&a=1')).toBe('https://***@host/x?token=***&a=1');
    expect(shownUrl('https://admin:hunter2@exa mple.com/x')).toBe('https://***@exa mple.com/x');
    expect(shownUrl('admin:hunter2@host')).toBe('***@host');
    expect(shownUrl('localhost:8080')).toBe('localhost:8080');
  });
});

describe('secretUrlParts', () => {
  it("names a webhook URL's forms and its long path segments, not its short words", () => {
    const parts = secretUrlParts('https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnopqrstuvwx');
    expect(parts).toEqual(
      expect.arrayContaining([
        'https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnopqrstuvwx',
        'hooks.slack.com/services/T0001/B0001/abcdefghijklmnopqrstuvwx',
        '/services/T0001/B0001/abcdefghijklmnopqrstuvwx',
        'abcdefghijklmnopqrstuvwx',
      ]),
    );
    expect(parts).not.toContain('services');
  });
});

describe('deployEnvSecrets', () => {
  it('yields the values of NAME=value lines, skipping blank lines and comments', () => {
    expect(deployEnvSecrets('# comment\n\nDB_PASSWORD=pa=ss\r\nEMPTY=\nnot a pair\n')).toEqual(['pa=ss', 'not a pair']);
    expect(deployEnvSecrets(undefined)).toEqual([]);
  });
});

describe('redactWrite (the Octokit request hook)', () => {
  const r = createRedactor([SECRET]);

  it('redacts the text of a write and leaves the rest of the request alone', () => {
    const request: Record<string, unknown> = {
      method: 'POST',
      url: '/repos/{owner}/{repo}/deployments',
      ref: SECRET,
      description: `why: ${SECRET}`,
      payload: { 'deploy-guard': { reason: SECRET, run: { id: '1' } } },
    };
    redactWrite(request, r);
    expect(request).toEqual({ method: 'POST', url: '/repos/{owner}/{repo}/deployments', ref: SECRET, description: 'why: ***', payload: { 'deploy-guard': { reason: '***', run: { id: '1' } } } });
  });

  it('leaves reads alone, and redacts the start of a secret a description cut at 140 characters ends with', () => {
    const read: Record<string, unknown> = { method: 'GET', body: SECRET };
    redactWrite(read, r);
    expect(read.body).toBe(SECRET);
    const cutAtLimit: Record<string, unknown> = { method: 'POST', description: `${'x'.repeat(134)}${SECRET.slice(0, 6)}` };
    redactWrite(cutAtLimit, r);
    expect(cutAtLimit.description).toBe(`${'x'.repeat(134)}***`);
  });
});

describe('text for the log', () => {
  it('reads as a command like the runner: "::" after leading whitespace (U+0085 too), "##[" anywhere, on any line', () => {
    expect(readsAsCommand('::error::x')).toBe(true);
    expect(readsAsCommand('  \t::warning::x')).toBe(true);
    expect(readsAsCommand('\u0085::add-mask::x')).toBe(true);
    expect(readsAsCommand('fine\r::set-output name=a::b')).toBe(true);
    expect(readsAsCommand('a line with ##[error]inside')).toBe(true);
    expect(readsAsCommand('a::b and a #[x] and ## [y]')).toBe(false);
  });

  it('fences a message with stop-commands', () => {
    expect(withCommandsStopped('::error::x', 'tok')).toBe('::stop-commands::tok\n::error::x\n::tok::');
  });

  it('quotes untrusted text on one line that JSON.parse gives back, with "##[" and line separators escaped', () => {
    const text = 'a\n::error::b\r\n##[warning]c\u2028d\u0085e\u0007';
    const quoted = quoteForLog(text);
    expect(quoted).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    expect(quoted).not.toContain('##[');
    expect(readsAsCommand(`Reason: ${quoted}`)).toBe(false);
    expect(JSON.parse(quoted)).toBe(text);
  });
});

describe('quoted markdown', () => {
  it('shows links, images, HTML and entities as typed, and notifies nobody', () => {
    expect(escapeCell('[a](https://x) ![](https://y) <b>&#60; @octocat \\[z]')).toBe(
      '\\[a\\](https://x) !\\[\\](https://y) &lt;b&gt;&amp;#60; @\u200boctocat \\\\\\[z\\]',
    );
  });

  it('never carries a marker, in a code span or a code block', () => {
    const marker = '<!-- deploy-guard:incident environment=production -->';
    expect(escapeCell(marker)).not.toContain('<!--');
    expect(codeSpan(marker)).not.toContain('<!--');
    expect(codeBlock(`out\n${marker}`).join('\n')).not.toContain('<!--');
    expect(codeSpan(marker)).toContain('<\u200b!-- deploy-guard:incident environment=production -->');
  });
});
