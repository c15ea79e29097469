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

/** Trap boards (listed on each forum's index like real boards) for the given modes, by board id. */
export const TRAP_BOARDS: readonly { readonly id: number; readonly mode: HostileMode; readonly slug: string }[] = [
  { id: 901, mode: 'slow', slug: 'trap-slow' },
  { id: 902, mode: 'huge', slug: 'trap-huge' },
  { id: 903, mode: 'bomb', slug: 'trap-bomb' },
  { id: 904, mode: 'redirect-loop', slug: 'trap-loop' },
];

/** A staff board every forum lists and robots.txt disallows. */
export const STAFF_BOARD = { id: 905, slug: 'staff' } as const;

export function parseHostileList(value: string): HostileMode[] {
  if (value.trim() === '' ) return [];
  if (value === 'all') return [...HOSTILE_MODES];
  return value.split(',').map((v) => HostileMode.parse(v.trim()));
}
