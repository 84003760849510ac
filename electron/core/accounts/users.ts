import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import { isRole, SHOP_MAX, USER_NAME_MAX, type HubUser, type Role } from '../../../shared/accounts/roles';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import type { HubUsersTable } from '../db/schema-hub';
import { inTransaction } from '../db/transaction';
import { hashPassword } from './passwords';
import { signOutEverywhere } from './sessions';

/** What sign-in matches: the name in one Unicode form, lower case, spaces trimmed. */
export const nameKey = (name: string) => name.normalize('NFKC').trim().toLowerCase();

function cleanName(name: string): string {
  const n = name.normalize('NFC').trim();
  // eslint-disable-next-line no-control-regex
  if (!n || [...n].length > USER_NAME_MAX || /[\u0000-\u001f\u007f]/.test(n))
    throw new AppError('INVALID_INPUT', `A user name has 1–${USER_NAME_MAX} characters`, {
      problem: 'user-name',
      max: USER_NAME_MAX,
    });
  return n;
}

function cleanShops(shops: readonly string[]): string[] {
  const out = [...new Set(shops.map((s) => s.normalize('NFC').trim()))];
  for (const s of out)
    if (!s || [...s].length > SHOP_MAX)
      throw new AppError('INVALID_INPUT', `A shop name has 1–${SHOP_MAX} characters`, { problem: 'shop-name' });
  return out.sort();
}

function checkRole(role: string): Role {
  if (!isRole(role))
    throw new AppError('INVALID_INPUT', `No role ${role} (admin, clerk, packer, viewer)`, {
      problem: 'user-role',
      role,
    });
  return role;
}

export async function addUser(
  db: Db,
  input: { name: string; role: string; shops?: readonly string[]; password: string },
  actor: string,
  now = new Date(),
): Promise<HubUser> {
  const name = cleanName(input.name);
  const role = checkRole(input.role);
  const shops = cleanShops(input.shops ?? []);
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  await inTransaction(db, async (trx) => {
    const taken = await trx
      .selectFrom('hub_users')
      .select('id')
      .where('name_key', '=', nameKey(name))
      .executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', `A user named ${name} exists`, { problem: 'user-name-taken', name });
    const at = now.toISOString();
    await trx
      .insertInto('hub_users')
      .values({
        id,
        name,
        name_key: nameKey(name),
        role,
        password_hash: passwordHash,
        disabled: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    if (shops.length)
      await trx
        .insertInto('hub_user_shops')
        .values(shops.map((shop) => ({ user_id: id, shop })))
        .execute();
    await appendAudit(
      trx,
      { actor, action: 'user.created', entity: 'user', entityId: id, details: { name, role, shops } },
      now,
    );
  });
  return getUser(db, id);
}

export async function getUser(db: Db, id: string): Promise<HubUser> {
  const row = await db.selectFrom('hub_users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'No such user', { problem: 'no-such-user' });
  return toUser(row, await shopsOf(db, id));
}

export async function findUserByName(db: Db, name: string): Promise<HubUsersTable | null> {
  return (
    (await db.selectFrom('hub_users').selectAll().where('name_key', '=', nameKey(name)).executeTakeFirst()) ?? null
  );
}

export async function listUsers(db: Db): Promise<HubUser[]> {
  const rows = await db.selectFrom('hub_users').selectAll().orderBy('name_key').execute();
  const shops = await db.selectFrom('hub_user_shops').selectAll().orderBy('shop').execute();
  return rows.map((r) =>
    toUser(
      r,
      shops.filter((s) => s.user_id === r.id).map((s) => s.shop),
    ),
  );
}

export async function shopsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('hub_user_shops')
    .select('shop')
    .where('user_id', '=', userId)
    .orderBy('shop')
    .execute();
  return rows.map((r) => r.shop);
}

/**
 * Role, shops, password or disabled changed: audited, and the user is signed out
 * everywhere, so no open browser keeps what was taken away.
 */
export async function updateUser(
  db: Db,
  id: string,
  change: { role?: string; shops?: readonly string[]; password?: string; disabled?: boolean },
  actor: string,
  now = new Date(),
): Promise<HubUser> {
  const before = await getUser(db, id);
  const role = change.role === undefined ? undefined : checkRole(change.role);
  const shops = change.shops === undefined ? undefined : cleanShops(change.shops);
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
  await inTransaction(db, async (trx) => {
    const losesAdmin =
      before.role === 'admin' && ((role !== undefined && role !== 'admin') || change.disabled === true);
    if (losesAdmin) await refuseLastAdmin(trx, id);
    await trx
      .updateTable('hub_users')
      .set({
        updated_at: now.toISOString(),
        ...(role ? { role } : {}),
        ...(passwordHash ? { password_hash: passwordHash } : {}),
        ...(change.disabled === undefined ? {} : { disabled: change.disabled ? 1 : 0 }),
      })
      .where('id', '=', id)
      .execute();
    if (shops) {
      await trx.deleteFrom('hub_user_shops').where('user_id', '=', id).execute();
      if (shops.length)
        await trx
          .insertInto('hub_user_shops')
          .values(shops.map((shop) => ({ user_id: id, shop })))
          .execute();
    }
    const details: Record<string, unknown> = { name: before.name };
    if (role && role !== before.role) Object.assign(details, { role: { from: before.role, to: role } });
    if (shops) Object.assign(details, { shops: { from: before.shops, to: shops } });
    if (passwordHash) details.password = 'changed';
    if (change.disabled !== undefined) details.disabled = change.disabled;
    const action = role && role !== before.role ? 'user.role-changed' : 'user.changed';
    await appendAudit(trx, { actor, action, entity: 'user', entityId: id, details }, now);
    await signOutEverywhere(trx, id);
  });
  return getUser(db, id);
}

/** The hub always keeps one admin who can sign in: the last one is not demoted or disabled. */
async function refuseLastAdmin(db: Db, id: string): Promise<void> {
  const others = await db
    .selectFrom('hub_users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('id', '!=', id)
    .limit(1)
    .execute();
  if (!others.length)
    throw new AppError('CONFLICT', 'The last admin cannot be demoted or disabled', { problem: 'last-admin' });
}

export const hasAdmin = async (db: Db) =>
  !!(await db
    .selectFrom('hub_users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .limit(1)
    .executeTakeFirst());

function toUser(row: HubUsersTable, shops: string[]): HubUser {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    shops,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
  };
}
