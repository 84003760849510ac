import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import { inTransaction } from '../db/transaction';

/** A token is shown once, prefixed so that secret scanners and people recognise it. */
const PREFIX = 'ppk_';

/**
 * Tokens carry 256 random bits, so an unsalted SHA-256 is enough to store them (a slow
 * password hash protects low-entropy secrets; nothing can guess 2^256). Only the hash is
 * kept: a stolen database gives no usable token.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function createApiToken(db: Db, name: string, now = new Date()): Promise<{ id: string; token: string }> {
  const clean = name.trim();
  if (!clean || clean.length > 100)
    throw new AppError('INVALID_INPUT', 'A token name is 1–100 characters', { problem: 'api-token-name' });
  const token = PREFIX + randomBytes(32).toString('base64url');
  const id = newId();
  await inTransaction(db, async (trx) => {
    const taken = await trx
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', clean)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (taken)
      throw new AppError('CONFLICT', `A token named ${clean} exists: revoke it first`, {
        problem: 'api-token-exists',
        name: clean,
      });
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        name: clean,
        token_hash: hashToken(token),
        created_at: now.toISOString(),
        last_used_at: null,
        revoked_at: null,
        station_id: trx.stationId,
      })
      .execute();
    await appendAudit(
      trx,
      { actor: 'cli', action: 'api.token-created', entity: 'api_token', entityId: id, details: { name: clean } },
      now,
    );
  });
  return { id, token };
}

/** Revokes the live token of that name; false when there is none. */
export async function revokeApiToken(db: Db, name: string, now = new Date()): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', name.trim())
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return false;
    await trx.updateTable('api_tokens').set({ revoked_at: now.toISOString() }).where('id', '=', row.id).execute();
    await appendAudit(
      trx,
      { actor: 'cli', action: 'api.token-revoked', entity: 'api_token', entityId: row.id, details: { name } },
      now,
    );
    return true;
  });
}

export interface ApiTokenInfo {
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function listApiTokens(db: Db): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['name', 'created_at', 'last_used_at'])
    .where('revoked_at', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/**
 * The live token's name, or null. The lookup is by hash (an index probe); the stored hash
 * is then compared in constant time, so timing tells nothing about how much matched.
 */
export async function authenticateApiToken(db: Db, token: string, now = new Date()): Promise<string | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const hash = hashToken(token);
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'token_hash', 'last_used_at'])
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  // last use to the minute: a busy ERP does not write a row per request
  const at = now.toISOString();
  if (!row.last_used_at || row.last_used_at.slice(0, 16) !== at.slice(0, 16))
    await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', row.id).execute();
  return row.name;
}
