// The health-checks-use-proxy input: on by default (checks honour the runner's proxy, like curl).
import { describe, expect, it } from 'vitest';
import { readSettings, type InputName } from '../../src/settings.ts';

const base: Partial<Record<InputName, string>> = {
  'github-token': 'ghs_x',
  'deploy-command': './deploy.sh',
  'health-url': 'http://127.0.0.1:8080/health',
};
const read = (inputs: Partial<Record<InputName, string>>) => readSettings((name) => inputs[name] ?? '');

describe('health-checks-use-proxy', () => {
  it('is true by default', async () => {
    expect(await read(base)).toMatchObject({ ok: true, settings: { healthChecksUseProxy: true } });
  });

  it('is false when set to false', async () => {
    expect(await read({ ...base, 'health-checks-use-proxy': 'false' })).toMatchObject({ ok: true, settings: { healthChecksUseProxy: false } });
  });

  it('names the input, the bad value and both accepted values', async () => {
    expect(await read({ ...base, 'health-checks-use-proxy': 'no' })).toEqual({
      ok: false,
      errors: ['Input "health-checks-use-proxy": "no" must be true (checks go through HTTPS_PROXY/HTTP_PROXY) or false (checks connect directly)'],
    });
  });
});
