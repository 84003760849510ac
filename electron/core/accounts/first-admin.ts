import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import type { HubUser } from '../../../shared/accounts/roles';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { addUser, hasAdmin } from './users';

export const SETUP_LINK_TTL_MS = 24 * 3600_000;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * While the hub has no admin, each start makes a one-time setup token for the link it
 * prints (`/#setup=TOKEN`: after `#`, so it never reaches a log or a Referer).
 * Null once an admin exists: the link then no longer works either.
 */
export async function newSetupToken(db: Db, now = new Date()): Promise<{ token: string; expiresAt: string } | null> {
  if (await hasAdmin(db)) return null;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SETUP_LINK_TTL_MS).toISOString();
  await db
    .insertInto('hub_setup_tokens')
    .values({ token_hash: hashOf(token), created_at: now.toISOString(), expires_at: expiresAt, used_at: null })
    .execute();
  return { token, expiresAt };
}

/** The first admin, made through the setup link: the token must be fresh and unused, and no admin exist. */
export async function createFirstAdmin(
  db: Db,
  input: { token: string; name: string; password: string },
  now = new Date(),
): Promise<HubUser> {
  if (await hasAdmin(db))
    throw new AppError('CONFLICT', 'The hub has an admin already: sign in', { problem: 'admin-exists' });
  const claimed = await db
    .updateTable('hub_setup_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', hashOf(input.token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1)
    throw new AppError('UNAUTHORIZED', 'This setup link is wrong, used or expired', { problem: 'setup-link-invalid' });
  try {
    const user = await addUser(db, { name: input.name, role: 'admin', password: input.password }, 'setup-link', now);
    await appendAudit(db, { actor: user.id, action: 'user.first-admin', entity: 'user', entityId: user.id }, now);
    return user;
  } catch (e) {
    // a refused name or password leaves the link usable for a second try
    await db
      .updateTable('hub_setup_tokens')
      .set({ used_at: null })
      .where('token_hash', '=', hashOf(input.token))
      .execute();
    throw e;
  }
}
