// User objects (GitHub's "simple-user") for the bot behind every token and other logins.
import { createHash } from 'node:crypto';
import type { SimpleUser } from './types.ts';

const KNOWN: Record<string, { id: number; type: SimpleUser['type'] }> = {
  // The real github-actions[bot] account.
  'github-actions[bot]': { id: 41898282, type: 'Bot' },
};

function stableId(login: string): number {
  return 10_000_000 + (createHash('sha256').update(login).digest().readUInt32BE(0) % 90_000_000);
}

export interface UserDirectory {
  botLogin: string;
  user(login: string): SimpleUser;
}

export function createUserDirectory(apiBase: string, botLogin: string, organization: string): UserDirectory {
  const user = (login: string): SimpleUser => {
    const known = KNOWN[login];
    const id = known?.id ?? stableId(login);
    const type: SimpleUser['type'] =
      known?.type ?? (login === botLogin || login.endsWith('[bot]') ? 'Bot' : login === organization ? 'Organization' : 'User');
    const url = `${apiBase}/users/${encodeURIComponent(login)}`;
    const prefix = type === 'Bot' ? 'BOT' : type === 'Organization' ? 'O' : 'U';
    return {
      login,
      id,
      node_id: `${prefix}_kgDO${Buffer.from(String(id)).toString('base64url')}`,
      avatar_url: type === 'Bot' ? `https://avatars.githubusercontent.com/in/${id}?v=4` : `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url,
      html_url: type === 'Bot' ? `https://github.com/apps/${login.replace(/\[bot\]$/, '')}` : `https://github.com/${login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type,
      site_admin: false,
    };
  };
  return { botLogin, user };
}
