// The redirect rules of http and prometheus checks, against a fake fetch that answers by URL and
// records what each hop was sent.
import { describe, expect, it } from 'vitest';
import type { HttpCheck } from '../../src/health/check-types.ts';
import { probeHttp } from '../../src/health/http.ts';
import { queryPrometheus } from '../../src/health/prometheus.ts';
import { answerOf, type Fetch } from '../../src/http/answer.ts';

interface Hop {
  url: string;
  headers: Record<string, string>;
}

/** A fetch whose answers are `routes` (URL -> location to redirect to, or a status). */
function fakeFetch(routes: Record<string, string | number>): { fetcher: Fetch; hops: Hop[] } {
  const hops: Hop[] = [];
  const fetcher: Fetch = async (input, init) => {
    const url = String(input);
    hops.push({ url, headers: { ...(init?.headers as Record<string, string>) } });
    expect(init?.redirect).toBe('manual');
    const route = routes[url];
    if (typeof route === 'string') return answerOf(new Response(null, { status: 302, headers: { location: route } }));
    if (typeof route === 'number') return answerOf(new Response('denied', { status: route }));
    return answerOf(new Response('{"status":"success","data":{"resultType":"scalar","result":[0,"1"]}}'));
  };
  return { fetcher, hops };
}

const check = (url: string, over: Partial<HttpCheck> = {}): HttpCheck => ({
  type: 'http',
  name: 'web',
  url,
  method: 'GET',
  headers: { 'X-Api-Key': 'key' },
  statusRanges: [[200, 299]],
  redirects: 'any',
  timeoutMs: 1_000,
  ...over,
});

describe('which hop gets the headers and credentials', () => {
  it('sends them on every hop within the origin, and on none outside it', async () => {
    const { fetcher, hops } = fakeFetch({
      'https://shop.example/a': '/b',
      'https://shop.example/b': 'https://cdn.example/c',
      'https://cdn.example/c': 'https://shop.example:8443/d',
      'https://shop.example:8443/d': 'https://shop.example/e',
    });
    expect(await probeHttp(check('https://u:p@shop.example/a'), fetcher)).toMatchObject({ outcome: 'pass' });
    const sent = hops.map((h) => [h.url, h.headers['X-Api-Key'] ?? null, h.headers.authorization ?? null]);
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(sent).toEqual([
      ['https://shop.example/a', 'key', basic],
      ['https://shop.example/b', 'key', basic],
      ['https://cdn.example/c', null, null],
      ['https://shop.example:8443/d', null, null], // another port is another origin
      ['https://shop.example/e', 'key', basic], // back at the check's own origin
    ]);
  });

  it('treats an http -> https upgrade as another origin, and says so when the answer there fails', async () => {
    const { fetcher, hops } = fakeFetch({ 'http://shop.example/a': 'https://shop.example/a', 'https://shop.example/a': 401 });
    const result = await probeHttp(check('http://shop.example/a', { redirects: 'same-host' }), fetcher);
    expect(hops[1]!.headers['X-Api-Key']).toBeUndefined();
    expect(result).toMatchObject({
      outcome: 'fail',
      detail: "status 401 is not in 200-299 (answered by https://shop.example after a redirect; the check's headers and credentials go only to its own origin)",
    });
  });

  it('keeps an Authorization header the check sets over the URL credentials, sending one', async () => {
    const { fetcher, hops } = fakeFetch({});
    await probeHttp(check('https://u:p@shop.example/a', { headers: { Authorization: 'Bearer t' } }), fetcher);
    expect(hops[0]!.headers).toEqual({ 'user-agent': 'deploy-guard health check', Authorization: 'Bearer t' });
  });
});

describe('redirects refused', () => {
  it('https -> http, also on the same host with same-host (scheme counts)', async () => {
    const { fetcher, hops } = fakeFetch({ 'https://shop.example/a': 'http://shop.example/a' });
    for (const redirects of ['same-host', 'any'] as const) {
      expect(await probeHttp(check('https://shop.example/a', { redirects }), fetcher)).toMatchObject({
        outcome: 'fail',
        detail: 'redirected from https to http (shop.example); deploy-guard does not follow a downgrade, point the check at the URL to use',
      });
    }
    expect(hops.every((h) => h.url.startsWith('https:'))).toBe(true);
  });

  it('an https hop that later goes to http', async () => {
    const { fetcher } = fakeFetch({ 'http://shop.example/a': 'https://shop.example/b', 'https://shop.example/b': 'http://shop.example/c' });
    expect(await probeHttp(check('http://shop.example/a'), fetcher)).toMatchObject({ outcome: 'fail', detail: expect.stringMatching(/^redirected from https to http/) });
  });

  it('another scheme, a URL with credentials, and more than 5 hops', async () => {
    const { fetcher } = fakeFetch({
      'https://a.example/': 'file:///etc/passwd',
      'https://b.example/': 'https://x:y@c.example/',
      ...Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`https://loop.example/${i}`, `/${i + 1}`])),
    });
    expect((await probeHttp(check('https://a.example/'), fetcher)).detail).toBe('redirected to a file: URL');
    expect((await probeHttp(check('https://b.example/'), fetcher)).detail).toBe('redirected to a URL with credentials (c.example)');
    expect((await probeHttp(check('https://loop.example/0'), fetcher)).detail).toBe('more than 5 redirects');
  });

  it('a hop the address guard refuses is never sent', async () => {
    const { fetcher, hops } = fakeFetch({ 'https://shop.example/a': 'http://169.254.169.254/latest/' });
    const guard = async (url: URL) => (url.hostname === '169.254.169.254' ? 'metadata' : undefined);
    expect(await probeHttp(check('https://shop.example/a'), fetcher, guard)).toMatchObject({
      outcome: 'fail',
      detail: expect.stringMatching(/^redirected from https to http/),
    });
    const { fetcher: f2, hops: hops2 } = fakeFetch({ 'http://shop.example/a': 'http://169.254.169.254/latest/' });
    expect(await probeHttp(check('http://shop.example/a'), f2, guard)).toMatchObject({
      outcome: 'fail',
      detail: 'refused the redirect to 169.254.169.254: metadata; set health-allow-link-local: true to allow it',
    });
    expect(hops2.map((h) => h.url)).toEqual(['http://shop.example/a']);
    expect(await probeHttp(check('http://169.254.169.254/'), f2, guard)).toMatchObject({ detail: 'refused: metadata; set health-allow-link-local: true to allow it' });
    expect(hops).toHaveLength(1);
  });

  it('a guard that outlasts the timeout ends at the timeout', async () => {
    const { fetcher } = fakeFetch({});
    const started = Date.now();
    const never = () => new Promise<undefined>(() => {});
    expect(await probeHttp(check('http://slow-dns.example/', { timeoutMs: 100 }), fetcher, never)).toMatchObject({ outcome: 'fail', detail: 'no answer within 100ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('prometheus checks follow the same rules', () => {
  it('refuses a downgrade and a guarded hop (inconclusive), and sends credentials to the own origin only', async () => {
    const { fetcher, hops } = fakeFetch({
      'https://prom.example/api/v1/query?query=up': 'http://prom.example/api/v1/query?query=up',
      'https://prom2.example/api/v1/query?query=up': 'https://other.example/api/v1/query?query=up',
    });
    expect(await queryPrometheus('https://prom.example', 'up', 1_000, fetcher)).toEqual({ kind: 'error', detail: expect.stringMatching(/^redirected from https to http/) });
    expect(await queryPrometheus('https://u:p@prom2.example', 'up', 1_000, fetcher)).toEqual({ kind: 'value', values: [1] });
    expect(hops.at(-2)!.headers.authorization).toMatch(/^Basic /);
    expect(hops.at(-1)!.headers.authorization).toBeUndefined();
    const guard = async () => 'metadata';
    expect(await queryPrometheus('http://169.254.169.254', 'up', 1_000, fetcher, guard)).toEqual({ kind: 'error', detail: 'refused: metadata; set health-allow-link-local: true to allow it' });
  });
});
