import { describe, expect, it } from 'vitest';
import { isIpLiteral, parseAddress, refusedAddress, refusedHost } from '../../src/core/address-policy.ts';
import { createAddressGuard } from '../../src/health/address-guard.ts';
import { readSettings, type InputName } from '../../src/settings.ts';

describe('refused addresses', () => {
  it.each([
    ['169.254.169.254', 'in 169.254.0.0/16'],
    ['169.254.170.2', 'in 169.254.0.0/16'],
    ['169.254.0.1', 'in 169.254.0.0/16'],
    ['fe80::1', 'in fe80::/10'],
    ['fe80::1%eth0', 'in fe80::/10'],
    ['febf:ffff::1', 'in fe80::/10'],
    ['fd00:ec2::254', 'AWS instance metadata service over IPv6'],
    ['FD00:EC2:0:0:0:0:0:254', 'AWS instance metadata service over IPv6'],
    ['100.100.100.200', 'Alibaba Cloud'],
    ['168.63.129.16', 'Azure'],
    ['192.0.0.192', 'Oracle Cloud Classic'],
    // IPv4 inside IPv6 is judged as the IPv4 address.
    ['::ffff:169.254.169.254', 'in 169.254.0.0/16'],
    ['::ffff:a9fe:a9fe', 'in 169.254.0.0/16'],
    ['::169.254.169.254', 'in 169.254.0.0/16'],
    ['64:ff9b::a9fe:a9fe', 'in 169.254.0.0/16'],
    ['64:ff9b::100.100.100.200', 'Alibaba Cloud'],
  ])('%s is refused (%s)', (address, why) => {
    expect(refusedAddress(address)).toContain(why);
  });

  it.each(['127.0.0.1', '10.0.0.1', '192.168.1.10', '172.16.0.1', '100.100.100.201', '169.253.255.255', '169.255.0.0', '8.8.8.8', '::1', '::', 'fec0::1', 'fd00:ec2::253', '2001:db8::1', '::ffff:127.0.0.1'])(
    '%s is not refused',
    (address) => {
      expect(refusedAddress(address)).toBeUndefined();
    },
  );

  it('reads only IP addresses', () => {
    expect(parseAddress('256.1.1.1')).toBeUndefined();
    expect(parseAddress('1.2.3')).toBeUndefined();
    expect(parseAddress('1::2::3')).toBeUndefined();
    expect(parseAddress('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseAddress('example.com')).toBeUndefined();
    expect(parseAddress('1:2:3:4:5:6:7:8')).toHaveLength(16);
    expect(isIpLiteral('[fe80::1]')).toBe(true);
    expect(isIpLiteral('metadata.google.internal')).toBe(false);
  });

  it('refuses metadata names and addresses as URL hosts give them', () => {
    expect(refusedHost('metadata.google.internal')).toBe('metadata.google.internal is a cloud metadata service');
    expect(refusedHost('Metadata.Google.Internal.')).toBe('metadata.google.internal is a cloud metadata service');
    expect(refusedHost('instance-data')).toBeDefined();
    expect(refusedHost(new URL('http://[::ffff:169.254.169.254]/').hostname)).toContain('169.254.0.0/16');
    // The URL parser writes other IPv4 notations as dotted decimal: 0xa9fea9fe, 2852039166.
    expect(refusedHost(new URL('http://2852039166/').hostname)).toContain('169.254.0.0/16');
    expect(refusedHost(new URL('http://0xa9.0xfe.0xa9.0xfe/').hostname)).toContain('169.254.0.0/16');
    expect(refusedHost('shop.example.com')).toBeUndefined();
    expect(refusedHost('metadata.google.internal.example.com')).toBeUndefined();
  });
});

describe('the address guard', () => {
  const lookups: string[] = [];
  const lookup = async (host: string) => {
    lookups.push(host);
    if (host === 'rebind.example') return [{ address: '203.0.113.7' }, { address: '169.254.169.254' }];
    if (host === 'v6.example') return [{ address: 'fe80::1' }];
    if (host === 'gone.example') throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    return [{ address: '203.0.113.7' }];
  };
  const direct = createAddressGuard({ viaProxy: () => false, lookup });
  const proxied = createAddressGuard({ viaProxy: () => true, lookup });

  it('refuses a name with any refused address among its addresses', async () => {
    expect(await direct(new URL('http://rebind.example/'))).toBe('rebind.example resolves to 169.254.169.254 is in 169.254.0.0/16, IPv4 link-local, where cloud metadata services answer (169.254.169.254 on AWS, Azure, Google Cloud, Oracle Cloud, DigitalOcean, OpenStack; 169.254.170.2 for ECS task credentials)');
    expect(await direct(new URL('http://v6.example/'))).toContain('in fe80::/10');
    expect(await direct(new URL('http://shop.example/'))).toBeUndefined();
  });

  it('leaves a name that does not resolve to the request, which then fails saying so', async () => {
    expect(await direct(new URL('http://gone.example/'))).toBeUndefined();
  });

  it('through a proxy, refuses what the URL names but does not resolve names (the proxy does)', async () => {
    lookups.length = 0;
    expect(await proxied(new URL('http://rebind.example/'))).toBeUndefined();
    expect(await proxied(new URL('http://169.254.169.254/'))).toContain('169.254.0.0/16');
    expect(await proxied(new URL('http://metadata.google.internal/'))).toContain('metadata service');
    expect(lookups).toEqual([]);
  });
});

describe('health-allow-link-local', () => {
  const settings = (inputs: Partial<Record<InputName, string>>) =>
    readSettings((name) => ({ 'github-token': 't', 'deploy-command': 'true', ...inputs })[name] ?? '', {});

  it('refuses a check URL that names a link-local or metadata address, naming the input and the fix', async () => {
    const result = await settings({
      'health-url': 'http://user:pw@169.254.169.254/latest/',
      checks: '- type: http\n  url: http://metadata.google.internal/\n- type: prometheus\n  url: http://[fe80::1]:9090\n  query: up\n  max: 1\n- type: tcp\n  host: 169.254.169.254\n  port: 80',
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual([
      expect.stringMatching(/^Input "health-url": 169\.254\.169\.254 is in 169\.254\.0\.0\/16, .*; set health-allow-link-local: true to check it$/),
      'Input "checks": check "http 1": metadata.google.internal is a cloud metadata service; set health-allow-link-local: true to check it',
      expect.stringMatching(/^Input "checks": check "prometheus 2": fe80::1 is in fe80::\/10, IPv6 link-local; set health-allow-link-local/),
    ]);
    expect(errors.join('\n')).not.toContain('pw');
  });

  it('allows them when true', async () => {
    const result = await settings({ 'health-url': 'http://169.254.169.254/latest/', 'health-allow-link-local': 'true' });
    expect(result).toMatchObject({ ok: true, settings: { healthAllowLinkLocal: true } });
    expect(await settings({ 'health-url': 'http://127.0.0.1/' })).toMatchObject({ ok: true, settings: { healthAllowLinkLocal: false } });
  });

  it('takes true or false only', async () => {
    const result = await settings({ 'health-url': 'http://127.0.0.1/', 'health-allow-link-local': 'yes' });
    expect(result.ok ? [] : result.errors).toEqual([
      'Input "health-allow-link-local": "yes" must be true (checks may reach link-local and cloud metadata addresses) or false (they may not)',
    ]);
  });
});
