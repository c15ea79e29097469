import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Store } from './index.js';

/**
 * API keys look like `tm_<id>_<secret>`. Only a SHA-256 of the secret is stored: the secret is
 * 256 random bits, so a slow password hash would add latency to every request and no security
 * (the same reasoning GitHub and Stripe apply to their tokens).
 */
export const Role = z.enum(['admin', 'analyst', 'read-only']);
export type Role = z.infer<typeof Role>;

const ROLE_RANK: Readonly<Record<Role, number>> = { 'read-only': 0, analyst: 1, admin: 2 };

export function roleAllows(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

const TOKEN = /^tm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export async function createApiKey(store: Store, name: string, role: Role): Promise<{ token: string; key: ApiKeyInfo }> {
  const id = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const createdAt = new Date().toISOString();
  await store.db.insertInto('api_keys').values({ id, name, role, secret_hash: hashSecret(secret), created_at: createdAt, revoked_at: null }).execute();
  return { token: `tm_${id}_${secret}`, key: { id, name, role, createdAt, revokedAt: null } };
}

/** The key behind a token, or null when the token is malformed, unknown, revoked or wrong. */
export async function verifyApiKey(store: Store, token: string): Promise<ApiKeyInfo | null> {
  const match = TOKEN.exec(token);
  if (match === null) return null;
  const row = await store.db.selectFrom('api_keys').selectAll().where('id', '=', match[1]!).executeTakeFirst();
  if (row === undefined || row.revoked_at !== null) return null;
  const expected = Buffer.from(row.secret_hash, 'hex');
  const actual = Buffer.from(hashSecret(match[2]!), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { id: row.id, name: row.name, role: Role.parse(row.role), createdAt: row.created_at, revokedAt: null };
}

export async function listApiKeys(store: Store): Promise<ApiKeyInfo[]> {
  const rows = await store.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, role: Role.parse(r.role), createdAt: r.created_at, revokedAt: r.revoked_at }));
}

export async function revokeApiKey(store: Store, id: string): Promise<boolean> {
  const result = await store.db.updateTable('api_keys').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countActiveKeys(store: Store): Promise<number> {
  const row = await store.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}
