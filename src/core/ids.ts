import { createHash } from 'node:crypto';

/**
 * Stable ids from content: the same site, thread or post always hashes to the same id, which
 * makes imports idempotent across runs and machines. 96 bits keeps collisions negligible
 * (birthday bound ~2^48 rows) while staying short in URLs and indexes.
 */
export function stableId(prefix: string, ...parts: readonly (string | number | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part === undefined ? '\u0000' : String(part));
    hash.update('\u001f');
  }
  return `${prefix}_${hash.digest('hex').slice(0, 24)}`;
}

export function contentHash(...parts: readonly (string | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part ?? '\u0000');
    hash.update('\u001f');
  }
  return hash.digest('hex').slice(0, 32);
}
