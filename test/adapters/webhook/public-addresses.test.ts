import { describe, expect, it } from 'vitest';
import {
  publicAddresses,
  type Resolver,
  WebhookAddressRefusedError,
} from '#adapters/webhook/public-addresses.ts';

const resolving =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const never: Resolver = async () => {
  throw new Error('a literal address is not resolved');
};

describe('the addresses a webhook is called at', () => {
  it('checks every address a name resolves to, and returns them to connect to', async () => {
    expect(await publicAddresses('hooks.example.com', resolving('52.94.0.1', '2600:1f18::1'))).toEqual([
      { address: '52.94.0.1', family: 4 },
      { address: '2600:1f18::1', family: 6 },
    ]);
  });

  it.each<[string, Resolver, string]>([
    [
      'a name resolving to the metadata service among public addresses',
      resolving('52.94.0.1', '169.254.169.254'),
      'hooks.example.com resolves to 169.254.169.254, the EC2 instance metadata service (169.254.169.254); stepshift calls only public addresses',
    ],
    [
      'a name resolving to IPv4-mapped loopback',
      resolving('::ffff:127.0.0.1'),
      'hooks.example.com resolves to ::ffff:127.0.0.1, a loopback address (127.0.0.0/8), in its IPv4-mapped IPv6 form; stepshift calls only public addresses',
    ],
    [
      'a name resolving to a VPC address',
      resolving('10.0.3.17'),
      'hooks.example.com resolves to 10.0.3.17, a private address (RFC 1918); stepshift calls only public addresses',
    ],
  ])('refuses %s', async (_, resolve, message) => {
    const refused = publicAddresses('hooks.example.com', resolve);
    await expect(refused).rejects.toThrow(WebhookAddressRefusedError);
    await expect(refused).rejects.toThrow(message);
  });

  it('judges a literal address itself, resolving nothing', async () => {
    expect(await publicAddresses('52.94.0.1', never)).toEqual([{ address: '52.94.0.1', family: 4 }]);
    await expect(publicAddresses('[::1]', never)).rejects.toThrow(
      '[::1] is the loopback address (::1); stepshift calls only public addresses',
    );
  });

  it('fails a name that resolves to nothing', async () => {
    await expect(publicAddresses('hooks.example.com', resolving())).rejects.toThrow(
      'hooks.example.com resolves to no address',
    );
  });
});
