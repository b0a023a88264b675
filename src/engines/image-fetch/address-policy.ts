import { isIP } from 'node:net';

/**
 * Which IP addresses an `ImageUrl` download may connect to. By default only public unicast
 * addresses: an emulator that fetches any URL it is given must not become a way into the network it
 * runs in (loopback services, cloud metadata at 169.254.169.254, private ranges).
 */

export type AddressCategory =
  | 'public'
  | 'unspecified'
  | 'this-network'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'reserved'
  | 'multicast'
  | 'broadcast'
  | 'unique-local'
  | 'site-local';

interface Rule {
  readonly bytes: readonly number[];
  readonly prefix: number;
  readonly category: Exclude<AddressCategory, 'public'>;
}

const v4 = (cidr: string, category: Rule['category']): Rule => {
  const [ip = '', len = '32'] = cidr.split('/');
  return { bytes: ip.split('.').map(Number), prefix: Number(len), category };
};

/** IPv4 ranges that are never a public web server (IANA special-purpose registry, abridged). */
const IPV4_RULES: readonly Rule[] = [
  v4('255.255.255.255/32', 'broadcast'),
  v4('0.0.0.0/32', 'unspecified'),
  v4('0.0.0.0/8', 'this-network'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'cgnat'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const v6 = (hexPrefix: number[], prefix: number, category: Rule['category']): Rule => ({
  bytes: hexPrefix,
  prefix,
  category,
});

/** IPv6 ranges checked on the 16 address bytes (embedded IPv4 forms are handled separately). */
const IPV6_RULES: readonly Rule[] = [
  v6(new Array<number>(16).fill(0), 128, 'unspecified'),
  v6([...new Array<number>(15).fill(0), 1], 128, 'loopback'),
  v6([0xfc], 7, 'unique-local'),
  v6([0xfe, 0x80], 10, 'link-local'),
  v6([0xfe, 0xc0], 10, 'site-local'),
  v6([0xff], 8, 'multicast'),
  v6([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'), // 100::/64 discard-only
];

function matches(address: readonly number[], rule: Rule): boolean {
  let bits = rule.prefix;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((address[i] ?? 0) & mask) !== ((rule.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an IPv6 address (zone id dropped), or undefined when it is not one. */
export function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/%.*$/, '');
  if (isIP(address) !== 6) return undefined;
  let tail: number[] = [];
  let head = address;
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.', lastColon)) {
    tail = address.slice(lastColon + 1).split('.').map(Number);
    head = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const words = [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * The IPv4 address carried inside an IPv6 one: mapped (::ffff:a.b.c.d), translated
 * (::ffff:0:a.b.c.d, RFC 2765), the deprecated compatible form (::a.b.c.d, but not :: and ::1,
 * which are IPv6's own) and NAT64 (64:ff9b::/96, and the local-use 64:ff9b:1::/48).
 */
function embeddedIPv4(bytes: readonly number[]): number[] | undefined {
  const zeros = (from: number, to: number): boolean => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  if (zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(10, 12)) return bytes.slice(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes[4] === 0x00 && bytes[5] === 0x01) {
    return bytes.slice(12);
  }
  if (zeros(0, 12) && !(zeros(12, 15) && (bytes[15] ?? 0) <= 1)) return bytes.slice(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) {
    return bytes.slice(12);
  }
  return undefined;
}

function classifyIPv4Bytes(bytes: readonly number[]): AddressCategory {
  return IPV4_RULES.find((rule) => matches(bytes, rule))?.category ?? 'public';
}

/** The category of an IP address literal; throws on a string that is not an IP address. */
export function classifyAddress(address: string): AddressCategory {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 4) return classifyIPv4Bytes(bare.split('.').map(Number));
  const bytes = parseIPv6(bare);
  if (bytes === undefined) throw new TypeError(`not an IP address: ${address}`);
  const embedded = embeddedIPv4(bytes);
  if (embedded !== undefined) return classifyIPv4Bytes(embedded);
  return IPV6_RULES.find((rule) => matches(bytes, rule))?.category ?? 'public';
}

export interface AddressPolicy {
  /** When true every address is allowed (tests, a private CI network). */
  readonly allowPrivateNetworks: boolean;
  /** Host names (or IP literals) whose addresses are allowed even when they are not public. */
  readonly allowHosts?: readonly string[];
}

export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Whether a connection to `address`, reached through host name `hostname`, is allowed. */
export function checkAddress(policy: AddressPolicy, hostname: string, address: string): AddressVerdict {
  if (policy.allowPrivateNetworks) return { allowed: true };
  const host = hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  if (policy.allowHosts?.some((h) => h.toLowerCase() === host)) return { allowed: true };
  let category: AddressCategory;
  try {
    category = classifyAddress(address);
  } catch {
    return { allowed: false, reason: `${address} is not an IP address` };
  }
  if (category === 'public') return { allowed: true };
  const via = host === address.toLowerCase() ? '' : ` (resolved from ${host})`;
  return { allowed: false, reason: `address ${address}${via} is ${category}, not a public address` };
}
