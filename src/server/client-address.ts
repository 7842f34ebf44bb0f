/**
 * Who is the client? The peer address, unless that peer is a proxy we trust, in which case the
 * right-most X-Forwarded-For hop that is not itself trusted. Walking from the right matters: every
 * hop left of the last untrusted one could have been written by the client. No DNS look-ups.
 */
import { BlockList, isIP } from 'node:net';

export interface ClientAddressPolicy {
  /** The client address for a request from `peer` with the given X-Forwarded-For header(s). */
  clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined): string;
  /** Whether headers such as X-Forwarded-Proto from this peer may be believed. */
  isTrusted(peer: string | undefined): boolean;
}

/** Parses `server.trustProxies` entries: addresses or CIDRs, IPv4 or IPv6. Throws on a bad entry. */
export function createClientAddressPolicy(trustProxies: readonly string[]): ClientAddressPolicy {
  const list = new BlockList();
  for (const entry of trustProxies) {
    const [address, bits, ...rest] = entry.trim().split('/');
    const family = isIP(address ?? '');
    if (!address || family === 0 || rest.length > 0) throw new Error(`not an IP address or CIDR: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(address, type);
    } else {
      const prefix = Number(bits);
      if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128))
        throw new Error(`bad prefix length: ${entry}`);
      list.addSubnet(address, prefix, type);
    }
  }
  const none = trustProxies.length === 0;

  const isTrusted = (address: string | undefined): boolean => {
    if (none || !address) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };

  return {
    isTrusted,
    clientAddress(peer, forwardedFor) {
      const direct = unmapped(peer ?? '');
      if (!isTrusted(direct) || forwardedFor === undefined) return direct;
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
      let candidate = direct;
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalizeHop(hops[i] ?? '');
        // A hop that is not an address at all was forged or mangled: stop at the last one we trust.
        if (hop === null) return candidate;
        candidate = hop;
        if (!isTrusted(hop)) return hop;
      }
      return candidate;
    },
  };
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) is the IPv4 client 1.2.3.4. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function normalizeHop(raw: string): string | null {
  let hop = raw.trim();
  if (hop.startsWith('[')) hop = hop.slice(1, hop.indexOf(']') === -1 ? undefined : hop.indexOf(']'));
  else if (hop.indexOf(':') !== -1 && hop.indexOf(':') === hop.lastIndexOf(':'))
    hop = hop.slice(0, hop.indexOf(':'));
  hop = unmapped(hop);
  return isIP(hop) === 0 ? null : hop;
}
