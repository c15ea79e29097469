/**
 * Well-known benign domains and configurable allowlists. Matches on them are FLAGGED (`benign`,
 * `allowlisted`) and kept, so an analyst can still see that a post mentioned them; callers drop
 * flagged matches with `dropFlags` when they want to.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { ExtractOptionsResolved } from './types.js';

/** Registrable domains (eTLD+1) that are infrastructure everybody links to. */
export const BENIGN_DOMAINS: readonly string[] = [
  'google.com', 'googleapis.com', 'gstatic.com', 'youtube.com', 'youtu.be', 'gmail.com', 'microsoft.com',
  'windows.com', 'live.com', 'outlook.com', 'office.com', 'bing.com', 'apple.com', 'icloud.com', 'amazon.com',
  'amazonaws.com', 'cloudflare.com', 'github.com', 'githubusercontent.com', 'gitlab.com', 'stackoverflow.com',
  'wikipedia.org', 'mozilla.org', 'w3.org', 'python.org', 'npmjs.com', 'facebook.com', 'instagram.com',
  'twitter.com', 'x.com', 'linkedin.com', 'reddit.com', 't.me', 'telegram.org', 'telegram.me', 'discord.com',
  'discord.gg', 'whatsapp.com', 'yandex.ru', 'ya.ru', 'mail.ru', 'vk.com', 'ok.ru', 'rambler.ru', 'baidu.com',
  'qq.com', 'weibo.com', 'taobao.com', 'proton.me', 'protonmail.com', 'tutanota.com', 'virustotal.com',
  'mitre.org', 'nist.gov', 'cisa.gov', 'exploit-db.com', 'shodan.io', 'torproject.org', 'archive.org',
  'example.com', 'example.org', 'example.net',
];

export interface Allowlist {
  isBenignDomain(registrable: string, host: string): boolean;
  isAllowedDomain(host: string): boolean;
  isAllowedIp(ip: string): boolean;
  isAllowedValue(value: string): boolean;
}

function suffixMatcher(domains: readonly string[]): (host: string) => boolean {
  const set = new Set(domains.map((d) => d.toLowerCase().replace(/\.$/, '')));
  return (host) => {
    for (let h = host; ; ) {
      if (set.has(h)) return true;
      const dot = h.indexOf('.');
      if (dot < 0) return false;
      h = h.slice(dot + 1);
    }
  };
}

export function buildAllowlist(options: ExtractOptionsResolved): Allowlist {
  const benign = suffixMatcher(options.replaceBenignDomains ?? BENIGN_DOMAINS);
  const allowedDomain = suffixMatcher(options.allowDomains);
  const ips = new BlockList();
  for (const entry of options.allowIps) {
    const [addr = '', prefix] = entry.split('/');
    const family = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : null;
    if (family === null) continue;
    if (prefix === undefined) ips.addAddress(addr, family);
    else ips.addSubnet(addr, Number(prefix), family);
  }
  const values = new Set(options.allowValues.map((v) => v.toLowerCase()));
  return {
    isBenignDomain: (registrable, host) => benign(registrable) || benign(host),
    isAllowedDomain: (host) => options.allowDomains.length > 0 && allowedDomain(host),
    isAllowedIp: (ip) => options.allowIps.length > 0 && ips.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6'),
    isAllowedValue: (value) => values.size > 0 && values.has(value.toLowerCase()),
  };
}
