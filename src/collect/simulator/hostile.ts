import { z } from 'zod';

/** Misbehaviours the simulator can be asked for, to test a crawler's defences. */
export const HOSTILE_MODES = [
  'slow',
  'huge',
  'bomb',
  'malformed',
  'redirect-loop',
  'infinite-pagination',
  'rate-limit',
  'server-errors',
] as const;
export const HostileMode = z.enum(HOSTILE_MODES);
export type HostileMode = z.infer<typeof HostileMode>;

export interface HostileOptions {
  /** Extra latency on every response in `slow` mode (ms). */
  readonly slowMs: number;
  /** Every Nth request answers 429 with Retry-After in `rate-limit` mode. */
  readonly rateLimitEvery: number;
  /** Every Nth request answers 503 in `server-errors` mode. */
  readonly errorEvery: number;
  /** Bytes of the `huge` page. */
  readonly hugeBytes: number;
  /** Decompressed bytes of the `bomb` page. */
  readonly bombBytes: number;
}

export const DEFAULT_HOSTILE: HostileOptions = {
  slowMs: 150,
  rateLimitEvery: 7,
  errorEvery: 5,
  hugeBytes: 64 * 1024 * 1024,
  bombBytes: 256 * 1024 * 1024,
};

/** Trap endpoints (relative to a forum's base) linked from the index for the given modes. */
export function trapPaths(modes: ReadonlySet<HostileMode>): string[] {
  const out: string[] = [];
  if (modes.has('slow')) out.push('/_trap/slow');
  if (modes.has('huge')) out.push('/_trap/huge');
  if (modes.has('bomb')) out.push('/_trap/bomb');
  if (modes.has('redirect-loop')) out.push('/_trap/loop/a');
  return out;
}

export function parseHostileList(value: string): HostileMode[] {
  if (value.trim() === '' ) return [];
  if (value === 'all') return [...HOSTILE_MODES];
  return value.split(',').map((v) => HostileMode.parse(v.trim()));
}
