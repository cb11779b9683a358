// Keeps http and prometheus checks away from link-local and cloud metadata addresses (see
// core/address-policy.ts), for the check's URL and every redirect it follows. A host name is
// resolved and refused if any of its addresses is refused. Known limits (SECURITY.md): fetch
// resolves the name again when it connects, so a DNS server that answers differently the second
// time (DNS rebinding) is not caught; and through a proxy the proxy resolves the name, so only
// addresses and metadata names written in the URL are refused there.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIpLiteral, refusedHost } from '../core/address-policy.ts';

/** Why a request to `url` is refused, or undefined when it may go. */
export type AddressGuard = (url: URL) => Promise<string | undefined>;

export type LookupAll = (host: string) => Promise<Array<{ address: string }>>;

export interface AddressGuardOptions {
  /** True when the request to `url` goes through a proxy (which then resolves the name). */
  viaProxy: (url: URL) => boolean;
  lookup?: LookupAll;
}

export function createAddressGuard(options: AddressGuardOptions): AddressGuard {
  const lookup = options.lookup ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  return async (url) => {
    const byItself = refusedHost(url.hostname);
    if (byItself) return byItself;
    if (isIpLiteral(url.hostname) || options.viaProxy(url)) return undefined;
    let addresses: Array<{ address: string }>;
    try {
      addresses = await lookup(url.hostname);
    } catch {
      return undefined; // the request itself then fails, and says why
    }
    for (const { address } of addresses) {
      const refused = refusedHost(address);
      if (refused) return `${url.hostname} resolves to ${refused}`;
    }
    return undefined;
  };
}
