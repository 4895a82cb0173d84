import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses a webhook may be called at: public unicast ones only. Anything a request from
 * inside an AWS account could use to reach what is not on the internet (the function's own runtime
 * API on loopback, the instance metadata service, the VPC's private ranges) is refused, in every
 * spelling an address can take.
 */

/** The EC2 instance metadata service, IPv4 and IPv6 (EC2 user guide, "Access instance metadata"). */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);

const IPV4_WORDS: Record<string, string> = {
  unspecified: 'the unspecified address (0.0.0.0/8)',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address (224.0.0.0/4)',
  linkLocal: 'a link-local address (169.254.0.0/16)',
  loopback: 'a loopback address (127.0.0.0/8)',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
  private: 'a private address (RFC 1918)',
  reserved: 'a reserved or documentation address',
  benchmarking: 'a benchmarking address (198.18.0.0/15)',
  as112: 'an AS112 address',
  amt: 'an AMT relay address',
};

const IPV6_WORDS: Record<string, string> = {
  unspecified: 'the unspecified address (::)',
  loopback: 'the loopback address (::1)',
  linkLocal: 'a link-local address (fe80::/10)',
  uniqueLocal: 'a unique-local address (fc00::/7)',
  multicast: 'a multicast address (ff00::/8)',
  deprecatedSiteLocal: 'a site-local address (fec0::/10)',
  '6to4': 'a 6to4 address (2002::/16), which tunnels to an IPv4 address',
  teredo: 'a Teredo address (2001::/32), which tunnels to an IPv4 address',
  rfc6052: 'a local-use NAT64 address (64:ff9b:1::/48)',
  reserved: 'a reserved or documentation address',
  benchmarking: 'a benchmarking address (2001:2::/48)',
  discard: 'a discard-only address (100::/64)',
};

/** IPv6 forms that carry an IPv4 address in their last 32 bits, each judged by that address. */
const CARRIES_IPV4: Record<string, string> = {
  ipv4Mapped: 'IPv4-mapped',
  rfc6145: 'IPv4-translated',
};
/** NAT64's well-known prefix (RFC 6052): 64:ff9b::/96 reaches the IPv4 address it ends in. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
/** Global unicast (RFC 4291): every IPv6 address stepshift may call lies in 2000::/3. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * Why stepshift will not call this address, as words that follow "is" ("a loopback address
 * (127.0.0.0/8)"), or undefined for a public unicast address. Takes any spelling ipaddr.js reads:
 * dotted, decimal, octal and hex IPv4, and IPv6 with an IPv4 tail.
 */
export function addressProblem(address: string): string | undefined {
  // ipaddr.js reads "::a.b.c.d" as IPv4-mapped; RFC 4291 makes it IPv4-compatible (see ipv6Problem).
  if (/^::[0-9]+(\.[0-9]+){3}(%.*)?$/.test(address)) return compatible(address);
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  return ip.kind() === 'ipv4' ? ipv4Problem(ip as ipaddr.IPv4) : ipv6Problem(ip as ipaddr.IPv6);
}

function compatible(text: string): string {
  return `an IPv4-compatible address (${text}), deprecated and never routed`;
}

function ipv4Problem(ip: ipaddr.IPv4): string | undefined {
  const text = ip.toString();
  if (METADATA.has(text)) return `the EC2 instance metadata service (${text})`;
  const range = ip.range();
  return range === 'unicast' ? undefined : (IPV4_WORDS[range] ?? `a special-purpose address (${range})`);
}

function ipv6Problem(ip: ipaddr.IPv6): string | undefined {
  if (METADATA.has(ip.toString())) return `the EC2 instance metadata service (${ip.toString()})`;
  const range = ip.range();
  const carried = CARRIES_IPV4[range] ?? (ip.match(NAT64) ? 'NAT64' : undefined);
  if (carried) {
    const inner = ipaddr.fromByteArray(ip.toByteArray().slice(12)) as ipaddr.IPv4;
    const problem = ipv4Problem(inner);
    return problem ? `${problem}, in its ${carried} IPv6 form` : undefined;
  }
  // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291) and the rest of ::/8 have no range of their own.
  if (ip.parts.slice(0, 6).every((p) => p === 0) && range === 'unicast') return compatible(ip.toString());
  if (range === 'unicast' && ip.match(GLOBAL_UNICAST)) return undefined;
  return IPV6_WORDS[range] ?? `not a global unicast address (2000::/3)`;
}
