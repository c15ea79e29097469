import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import net from 'node:net';

/**
 * SSRF guard: a crawler fetches URLs that hostile pages hand it, so by default it must never
 * reach loopback, private, link-local or otherwise special addresses. The check runs on the
 * resolved address at connect time (inside the socket's DNS lookup), which also defeats DNS
 * rebinding; IP literals are checked before connecting.
 */
const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32], ['100::', 64],
] as const) blocked.addSubnet(prefix, bits, 'ipv6');

export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export class SsrfError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`refused to connect to ${host} (${address}): private, loopback or link-local address; set network.allowPrivateAddresses: true in the site config to allow it`);
    this.name = 'SsrfError';
  }
}

/** Hostname in a URL, without IPv6 brackets. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export function checkLiteral(hostname: string, allowPrivate: boolean): void {
  const host = bareHost(hostname);
  if (!allowPrivate && net.isIP(host) !== 0 && isBlockedAddress(host)) throw new SsrfError(host, host);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for net.connect that refuses blocked addresses unless allowed. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (!allowPrivate) {
        const bad = list.find((a) => isBlockedAddress(a.address));
        if (bad !== undefined) return callback(Object.assign(new SsrfError(hostname, bad.address), { code: 'ESSRF' }), []);
      }
      if (typeof options === 'object' && options?.all) return callback(null, list);
      const first = list[0];
      if (first === undefined) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
