import { describe, expect, it } from 'vitest';
import { gitEnvironment } from '../../src/git.ts';

describe('the environment git runs with', () => {
  it('keeps only what git needs, never a token, an input or the job state', () => {
    const env = gitEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/tmp/gitconfig',
      HTTPS_PROXY: 'http://proxy:3128',
      SSH_AUTH_SOCK: '/tmp/agent.sock',
      'INPUT_GITHUB-TOKEN': 'ghs_secret',
      INPUT_NOTIFY_WEBHOOK: 'https://hooks.example/secret',
      GITHUB_TOKEN: 'ghs_secret',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
      STATE_deployments: '[1]',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraheader',
      GIT_CONFIG_VALUE_0: 'AUTHORIZATION: basic c2VjcmV0',
      GIT_DIR: '/elsewhere',
      DEPLOY_SECRET: 'from DEPLOY_ENV',
      GITHUB_REPOSITORY: 'acme/shop',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/tmp/gitconfig',
      HTTPS_PROXY: 'http://proxy:3128',
      SSH_AUTH_SOCK: '/tmp/agent.sock',
      GIT_TERMINAL_PROMPT: '0',
    });
  });
});
