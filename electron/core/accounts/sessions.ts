import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import type { HubUser } from '../../../shared/accounts/roles';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { passwordMatches } from './passwords';
import { findUserByName, getUser, nameKey } from './users';

/** A session ends after this long without use … */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** … and this long after sign-in whatever happens (a desk PC shared across shifts). */
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** last use is written at most this often (every request reads the session) */
const TOUCH_EVERY_MS = 60_000;

/** Wrong passwords for one name before it is locked, and for how long. */
export const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60_000;
/** Sign-in attempts from one address per window (any names). */
export const ADDRESS_LIMIT = 30;
export const ADDRESS_WINDOW_MS = 15 * 60_000;

export interface SignInRequest {
  name: string;
  password: string;
  /** where from and with what (audited, shown in the user's sessions) */
  address: string | null;
  agent: string | null;
}

export interface SignedIn {
  /** the cookie's value: shown once, never stored (the database keeps its SHA-256) */
  token: string;
  /** echoed by every state-changing call */
  csrf: string;
  user: HubUser;
  expiresAt: string;
}

export interface Session {
  user: HubUser;
  csrf: string;
  expiresAt: string;
}

const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url'); // 256 bits

/**
 * Signs a person in. The same answer for an unknown name and a wrong password; a name is
 * locked after LOCK_AFTER wrong passwords in a row (names with no account too, so the
 * lock tells nothing), and an address is slowed after ADDRESS_LIMIT attempts. The
 * counters live in the database: every hub process sees the same ones.
 */
export async function signIn(db: Db, req: SignInRequest, now = new Date()): Promise<SignedIn> {
  const key = `name:${nameKey(req.name)}`;
  const addrKey = `addr:${req.address ?? 'unknown'}`;
  const addr = await countAttempt(db, addrKey, now, ADDRESS_WINDOW_MS);
  if (addr > ADDRESS_LIMIT)
    throw new AppError('RATE_LIMITED', 'Too many sign-in attempts from this address', {
      problem: 'sign-in-rate-limited',
      retryAfterSeconds: Math.ceil(ADDRESS_WINDOW_MS / 1000),
    });
  const lock = await db
    .selectFrom('hub_login_attempts')
    .select('locked_until')
    .where('attempt_key', '=', key)
    .executeTakeFirst();
  if (lock?.locked_until && Date.parse(lock.locked_until) > now.getTime()) {
    await auditSignIn(db, 'user.sign-in-refused', null, req, now, { reason: 'locked' });
    throw new AppError('UNAUTHORIZED', 'Too many wrong passwords: this name is locked for a while', {
      problem: 'sign-in-locked',
      until: lock.locked_until,
    });
  }
  const user = await findUserByName(db, req.name);
  const ok = await passwordMatches(user?.password_hash ?? null, req.password);
  if (!user || !ok || user.disabled) {
    const failures = await countAttempt(db, key, now, LOCK_MS);
    if (failures >= LOCK_AFTER)
      await db
        .updateTable('hub_login_attempts')
        .set({ locked_until: new Date(now.getTime() + LOCK_MS).toISOString(), count: 0 })
        .where('attempt_key', '=', key)
        .execute();
    await auditSignIn(db, 'user.sign-in-failed', user?.id ?? null, req, now, {
      reason: !user || !ok ? 'wrong name or password' : 'disabled',
    });
    throw new AppError('UNAUTHORIZED', 'Wrong name or password', { problem: 'sign-in-failed' });
  }
  await db.deleteFrom('hub_login_attempts').where('attempt_key', '=', key).execute();
  const token = newToken();
  const csrf = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('hub_sessions')
      .values({
        id: sessionId(token),
        user_id: user.id,
        csrf,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt,
        address: req.address?.slice(0, 200) ?? null,
        agent: req.agent?.slice(0, 500) ?? null,
      })
      .execute();
    await auditSignIn(trx, 'user.signed-in', user.id, req, now, {});
  });
  return { token, csrf, user: await getUser(db, user.id), expiresAt };
}

/** The session a cookie's token stands for, or null (unknown, expired, user disabled). */
export async function sessionOf(db: Db, token: string, now = new Date()): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const id = sessionId(token);
  const row = await db.selectFrom('hub_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const t = now.getTime();
  if (Date.parse(row.expires_at) <= t || Date.parse(row.created_at) + SESSION_MAX_MS <= t) {
    await db.deleteFrom('hub_sessions').where('id', '=', id).execute();
    return null;
  }
  const user = await getUser(db, row.user_id).catch(() => null);
  if (!user || user.disabled) return null;
  let expiresAt = row.expires_at;
  if (t - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    expiresAt = new Date(Math.min(t + SESSION_IDLE_MS, Date.parse(row.created_at) + SESSION_MAX_MS)).toISOString();
    await db
      .updateTable('hub_sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: expiresAt })
      .where('id', '=', id)
      .execute();
  }
  return { user, csrf: row.csrf, expiresAt };
}

export async function signOut(db: Db, token: string, now = new Date()): Promise<void> {
  const id = sessionId(token);
  const row = await db.selectFrom('hub_sessions').select('user_id').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  await db.deleteFrom('hub_sessions').where('id', '=', id).execute();
  await appendAudit(db, { actor: row.user_id, action: 'user.signed-out', entity: 'user', entityId: row.user_id }, now);
}

/** Every session of the user ends (their own "sign out everywhere", or a change an admin made). */
export async function signOutEverywhere(db: Db, userId: string): Promise<number> {
  const r = await db.deleteFrom('hub_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** One more attempt under `key` in its window; the count so far, this one included. */
async function countAttempt(db: Db, key: string, now: Date, windowMs: number): Promise<number> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('hub_login_attempts')
      .selectAll()
      .where('attempt_key', '=', key)
      .executeTakeFirst();
    const at = now.toISOString();
    if (!row) {
      await trx
        .insertInto('hub_login_attempts')
        .values({ attempt_key: key, count: 1, window_start: at, locked_until: null })
        .onConflict((oc) =>
          oc.column('attempt_key').doUpdateSet((eb) => ({ count: eb('hub_login_attempts.count', '+', 1) })),
        )
        .execute();
      return 1;
    }
    const fresh = Date.parse(row.window_start) + windowMs <= now.getTime();
    const count = fresh ? 1 : row.count + 1;
    await trx
      .updateTable('hub_login_attempts')
      .set(fresh ? { count, window_start: at } : { count })
      .where('attempt_key', '=', key)
      .execute();
    return count;
  });
}

function auditSignIn(
  db: Db,
  action: string,
  userId: string | null,
  req: SignInRequest,
  now: Date,
  extra: Record<string, unknown>,
) {
  return appendAudit(
    db,
    {
      actor: userId ?? 'anonymous',
      action,
      entity: 'user',
      entityId: userId,
      details: { name: req.name.slice(0, 64), address: req.address, agent: req.agent?.slice(0, 200) ?? null, ...extra },
    },
    now,
  );
}
