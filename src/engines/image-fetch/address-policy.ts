import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

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

/**
 * ipaddr.js names the IANA special-purpose ranges; this says what each is here. A range name that a
 * later ipaddr.js adds and this table does not know is refused as `reserved` (fail closed).
 */
const IPV4_RANGES: Readonly<Record<string, AddressCategory>> = {
  unicast: 'public',
  as112: 'public', // anycast DNS servers, routed on the internet
  amt: 'public', // anycast multicast-tunnel relays, routed on the internet
  unspecified: 'this-network', // 0.0.0.0/8; 0.0.0.0 itself is `unspecified`, below
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'cgnat',
  private: 'private',
  reserved: 'reserved', // also the documentation nets 192.0.2/24, 198.51.100/24, 203.0.113/24
  benchmarking: 'reserved',
};

const IPV6_RANGES: Readonly<Record<string, AddressCategory>> = {
  unicast: 'public',
  teredo: 'public',
  amt: 'public',
  as112v6: 'public',
  unspecified: 'unspecified',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  multicast: 'multicast',
  discard: 'reserved', // 100::/64
  benchmarking: 'reserved',
  deprecatedOrchid: 'reserved',
  orchid2: 'reserved',
  droneRemoteIdProtocolEntityTags: 'reserved',
  segmentRouting: 'reserved',
  reserved: 'reserved', // 2001::/23, 2001:db8::/32, 3fff::/20
};

/** The deprecated IPv4-compatible form ::a.b.c.d (ipaddr.js calls it unicast); :: and ::1 are IPv6's own. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96') as [ipaddr.IPv6, number];

function classifyIPv4(address: ipaddr.IPv4): AddressCategory {
  const range = address.range();
  if (range === 'unspecified' && address.octets.every((octet) => octet === 0)) return 'unspecified';
  return IPV4_RANGES[range] ?? 'reserved';
}

const ipv4At = (bytes: readonly number[], at: number): ipaddr.IPv4 => new ipaddr.IPv4(bytes.slice(at, at + 4));

/**
 * The category of an IPv6 address, through the IPv4 address it carries when it carries one: mapped
 * (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d, RFC 6145), compatible (::a.b.c.d) and NAT64
 * (64:ff9b::/96, and the local-use 64:ff9b:1::/48) in the last 32 bits; 6to4 (2002:AABB:CCDD::/48)
 * when its IPv4 address is not public.
 */
function classifyIPv6(address: ipaddr.IPv6): AddressCategory {
  const range = address.range();
  const bytes = address.toByteArray();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return classifyIPv4(ipv4At(bytes, 12));
  if (range === 'unicast' && address.match(IPV4_COMPATIBLE)) return classifyIPv4(ipv4At(bytes, 12));
  if (range === '6to4') return classifyIPv4(ipv4At(bytes, 2));
  return IPV6_RANGES[range] ?? 'reserved';
}

/**
 * The category of an IP address literal; throws on a string that is not an IP address. Node's isIP
 * decides what is an address (dotted-quad IPv4 only: ipaddr.js alone would also read `010.0.0.1` as
 * octal and `2130706433` as one number), ipaddr.js what it is.
 */
export function classifyAddress(address: string): AddressCategory {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare.replace(/%.*$/, ''));
  if (family === 4) return classifyIPv4(ipaddr.IPv4.parse(bare));
  if (family === 6) return classifyIPv6(ipaddr.IPv6.parse(bare));
  throw new TypeError(`not an IP address: ${address}`);
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
  const host = hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
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
