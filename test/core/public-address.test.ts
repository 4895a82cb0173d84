import { describe, expect, it } from 'vitest';
import { addressProblem } from '#core/public-address.ts';

describe('the webhook address classifier', () => {
  it.each<[string, string]>([
    // Seen: the metadata service, the Lambda runtime API on loopback, IPv6 loopback.
    ['169.254.169.254', 'the EC2 instance metadata service (169.254.169.254)'],
    ['127.0.0.1', 'a loopback address (127.0.0.0/8)'],
    ['127.255.0.9', 'a loopback address (127.0.0.0/8)'],
    ['::1', 'the loopback address (::1)'],
    ['fd00:ec2::254', 'the EC2 instance metadata service (fd00:ec2::254)'],
    // The other IPv4 ranges that are not the internet.
    ['10.0.0.7', 'a private address (RFC 1918)'],
    ['172.16.0.1', 'a private address (RFC 1918)'],
    ['172.31.255.255', 'a private address (RFC 1918)'],
    ['192.168.1.1', 'a private address (RFC 1918)'],
    ['100.64.0.1', 'a carrier-grade NAT address (100.64.0.0/10)'],
    ['100.127.255.254', 'a carrier-grade NAT address (100.64.0.0/10)'],
    ['169.254.170.2', 'a link-local address (169.254.0.0/16)'],
    ['0.0.0.0', 'the unspecified address (0.0.0.0/8)'],
    ['255.255.255.255', 'the broadcast address'],
    ['224.0.0.1', 'a multicast address (224.0.0.0/4)'],
    ['192.0.2.1', 'a reserved or documentation address'],
    ['240.0.0.1', 'a reserved or documentation address'],
    // Decimal, octal and hex spellings of loopback.
    ['2130706433', 'a loopback address (127.0.0.0/8)'],
    ['0x7f.1', 'a loopback address (127.0.0.0/8)'],
    ['0177.0.0.1', 'a loopback address (127.0.0.0/8)'],
    ['127.1', 'a loopback address (127.0.0.0/8)'],
    // IPv6 ranges, and IPv6 forms that carry an IPv4 address.
    ['::', 'the unspecified address (::)'],
    ['fe80::1', 'a link-local address (fe80::/10)'],
    ['fe80::1%eth0', 'a link-local address (fe80::/10)'],
    ['fc00::1', 'a unique-local address (fc00::/7)'],
    ['fd12:3456::1', 'a unique-local address (fc00::/7)'],
    ['ff02::1', 'a multicast address (ff00::/8)'],
    ['::ffff:7f00:1', 'a loopback address (127.0.0.0/8), in its IPv4-mapped IPv6 form'],
    ['::ffff:127.0.0.1', 'a loopback address (127.0.0.0/8), in its IPv4-mapped IPv6 form'],
    [
      '::ffff:169.254.169.254',
      'the EC2 instance metadata service (169.254.169.254), in its IPv4-mapped IPv6 form',
    ],
    ['::ffff:10.1.2.3', 'a private address (RFC 1918), in its IPv4-mapped IPv6 form'],
    ['::ffff:0:7f00:1', 'a loopback address (127.0.0.0/8), in its IPv4-translated IPv6 form'],
    ['64:ff9b::a9fe:a9fe', 'the EC2 instance metadata service (169.254.169.254), in its NAT64 IPv6 form'],
    ['64:ff9b::10.0.0.1', 'a private address (RFC 1918), in its NAT64 IPv6 form'],
    ['64:ff9b:1::1', 'a local-use NAT64 address (64:ff9b:1::/48)'],
    ['::127.0.0.1', 'an IPv4-compatible address (::127.0.0.1), deprecated and never routed'],
    ['::7f00:1', 'an IPv4-compatible address (::7f00:1), deprecated and never routed'],
    ['::8.8.8.8', 'an IPv4-compatible address (::8.8.8.8), deprecated and never routed'],
    ['2002:7f00:1::', 'a 6to4 address (2002::/16), which tunnels to an IPv4 address'],
    ['2001:0:4136:e378::1', 'a Teredo address (2001::/32), which tunnels to an IPv4 address'],
    ['2001:db8::1', 'a reserved or documentation address'],
    ['fec0::1', 'a site-local address (fec0::/10)'],
    ['100::1', 'a discard-only address (100::/64)'],
    ['4000::1', 'not a global unicast address (2000::/3)'],
    // Not addresses at all.
    ['localhost', 'not an IP address'],
    ['', 'not an IP address'],
    ['1.2.3.4.5', 'not an IP address'],
  ])('refuses %s: %s', (address, problem) => {
    expect(addressProblem(address)).toBe(problem);
  });

  it.each([
    '8.8.8.8',
    '52.94.236.248',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '169.253.255.255',
    '2600:1f18:4f2:d300::1',
    '2a05:d018::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows the public address %s', (address) => {
    expect(addressProblem(address)).toBeUndefined();
  });
});
