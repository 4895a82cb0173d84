import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressProblem as publicAddressProblem } from '#core/public-address.ts';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system's resolver (getaddrinfo, as Node's own connections use), every address it returns. */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** A webhook host that is, or resolves to, an address stepshift does not call. */
export class WebhookAddressRefusedError extends Error {
  override readonly name = 'WebhookAddressRefused';
}

/**
 * The addresses to connect to for a URL's host, each checked: a literal address as it is, a name
 * through `resolve`. Any address that is not public refuses the whole call, since a connection may
 * go to any of them; the caller connects to these addresses and resolves nothing again, so a second
 * DNS answer (rebinding) cannot swap in another.
 * @param hostname a WHATWG URL's hostname (IPv6 in brackets).
 * @throws WebhookAddressRefusedError naming the address and why.
 */
export async function publicAddresses(
  hostname: string,
  resolve: Resolver,
  addressProblem: (address: string) => string | undefined = publicAddressProblem,
): Promise<ResolvedAddress[]> {
  const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const family = isIP(literal);
  if (family !== 0) {
    const problem = addressProblem(literal);
    if (problem)
      throw new WebhookAddressRefusedError(
        `${hostname} is ${problem}; stepshift calls only public addresses`,
      );
    return [{ address: literal, family: family === 6 ? 6 : 4 }];
  }
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} resolves to no address`);
  for (const { address } of addresses) {
    const problem = addressProblem(address);
    if (problem) {
      throw new WebhookAddressRefusedError(
        `${hostname} resolves to ${address}, ${problem}; stepshift calls only public addresses`,
      );
    }
  }
  return [...addresses];
}
