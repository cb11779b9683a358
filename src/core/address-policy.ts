// Which addresses an http or prometheus check may not reach (unless health-allow-link-local is
// true): link-local networks and the cloud metadata services, which hand out the runner's cloud
// credentials to whoever asks from the machine. A check (or a redirect it follows) to one of
// them could put those credentials into a probe's body excerpt, and so into an incident.
// Pure: addresses and host names in, a reason out.

/** A refused range: `bits` leading bits of `prefix` (16 bytes; IPv4 as ::ffff:a.b.c.d). */
interface Range {
  text: string;
  what: string;
  prefix: Uint8Array;
  bits: number;
}

/** The refused addresses, as the README and SECURITY.md list them. */
export const REFUSED_RANGES: ReadonlyArray<{ text: string; what: string }> = [
  { text: '169.254.0.0/16', what: 'IPv4 link-local, where cloud metadata services answer (169.254.169.254 on AWS, Azure, Google Cloud, Oracle Cloud, DigitalOcean, OpenStack; 169.254.170.2 for ECS task credentials)' },
  { text: 'fe80::/10', what: 'IPv6 link-local' },
  { text: 'fd00:ec2::254', what: 'the AWS instance metadata service over IPv6' },
  { text: '100.100.100.200', what: 'the Alibaba Cloud metadata service' },
  { text: '168.63.129.16', what: 'the Azure platform endpoint (WireServer)' },
  { text: '192.0.0.192', what: 'the Oracle Cloud Classic metadata service' },
];

/** Host names of metadata services, refused by name too (a proxy would resolve them on its side). */
export const REFUSED_NAMES: readonly string[] = ['metadata.google.internal', 'instance-data', 'instance-data.ec2.internal'];

const RANGES: Range[] = REFUSED_RANGES.map(({ text, what }) => {
  const [address, bits] = text.split('/') as [string, string | undefined];
  const bytes = parseAddress(address)!;
  const v4 = !address.includes(':');
  return { text, what, prefix: bytes, bits: bits === undefined ? 128 : Number(bits) + (v4 ? 96 : 0) };
});

/**
 * Why `address` (an IP address as DNS or a URL gives it: "169.254.169.254", "fe80::1%eth0",
 * "::ffff:a9fe:a9fe") is refused, or undefined if it is not. An IPv4 address inside IPv6
 * (mapped ::ffff:0:0/96, compatible ::/96, NAT64 64:ff9b::/96) is judged as that IPv4 address.
 */
export function refusedAddress(address: string): string | undefined {
  const bytes = parseAddress(address);
  if (!bytes) return undefined;
  const candidates = [bytes];
  const embedded = embeddedIpv4(bytes);
  if (embedded) candidates.push(embedded);
  for (const candidate of candidates) {
    const range = RANGES.find((r) => matches(candidate, r));
    if (range) return `${address} is ${range.text.includes('/') ? `in ${range.text}, ` : ''}${range.what}`;
  }
  return undefined;
}

/**
 * Why the host of a URL (`url.hostname`: a name, an IPv4 address or a bracketed IPv6 address) is
 * refused by itself, before any name is resolved; undefined if it is not.
 */
export function refusedHost(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (REFUSED_NAMES.includes(host)) return `${host} is a cloud metadata service`;
  return refusedAddress(host.replace(/^\[(.*)\]$/, '$1'));
}

/** True when `hostname` is an IP address (no name to resolve). */
export function isIpLiteral(hostname: string): boolean {
  return parseAddress(hostname.replace(/^\[(.*)\]$/, '$1')) !== undefined;
}

function matches(bytes: Uint8Array, range: Range): boolean {
  for (let bit = 0; bit < range.bits; bit += 1) {
    const mask = 0x80 >> bit % 8;
    if ((bytes[bit >> 3]! & mask) !== (range.prefix[bit >> 3]! & mask)) return false;
  }
  return true;
}

/** ::ffff:a.b.c.d, ::a.b.c.d (not :: or ::1) and 64:ff9b::a.b.c.d -> ::ffff:a.b.c.d */
function embeddedIpv4(bytes: Uint8Array): Uint8Array | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const mapped = zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return undefined; // already the form IPv4 ranges are written in
  const compatible = zeros(0, 12) && !zeros(12, 15);
  const nat64 = bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12);
  if (!compatible && !nat64) return undefined;
  const v4 = new Uint8Array(16);
  v4[10] = 0xff;
  v4[11] = 0xff;
  v4.set(bytes.slice(12), 12);
  return v4;
}

/** An IPv4 or IPv6 address (an IPv6 zone like %eth0 is ignored) -> 16 bytes; undefined if it is neither. */
export function parseAddress(text: string): Uint8Array | undefined {
  const address = text.replace(/%.*$/, '');
  const v4 = parseIpv4(address);
  if (v4) {
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes.set(v4, 12);
    return bytes;
  }
  return parseIpv6(address);
}

function parseIpv4(text: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}
