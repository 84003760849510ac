import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import { PASSWORD_MAX, SHOP_MAX, USER_NAME_MAX } from '../../shared/accounts/roles';
import { addUser, listUsers, updateUser } from '../core/accounts/users';
import { listAudit } from '../core/audit/audit-list';
import { verifyAudit } from '../core/audit/audit-log';
import type { StaffContext } from './staff-api-http';
import { readBodyLimited } from './read-body';

const shops = z.array(z.string().max(SHOP_MAX)).max(100);
const NewUser = z
  .object({
    name: z.string().max(USER_NAME_MAX * 4),
    role: z.string().max(20),
    shops: shops.optional(),
    password: z.string().max(PASSWORD_MAX * 4),
  })
  .strict();
const UserChange = z
  .object({
    role: z.string().max(20).optional(),
    shops: shops.optional(),
    password: z
      .string()
      .max(PASSWORD_MAX * 4)
      .optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

const AuditQuery = z
  .object({
    beforeSeq: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    actionPrefix: z.string().max(40).optional(),
  })
  .strict();

async function jsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const raw = await readBodyLimited(req, 16 * 1024);
  let value: unknown = null;
  try {
    value = raw ? JSON.parse(raw.toString('utf8')) : null;
  } catch {
    /* refused below */
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('INVALID_INPUT', 'Unusable account details', { problem: 'user-input' });
  return parsed.data;
}

/**
 * Accounts, for admins only (`/staff/v1/users`): list, add, change role, shops, password or
 * disable; and the hub's audit log (`/staff/v1/audit`, newest first, and `/audit/verify`). The rules (names, roles, password length, the last admin) are the core's, the
 * same as the CLI's; every change is audited with the admin's name and ends the changed
 * user's sessions (core/accounts/users.ts).
 */
export async function staffUsersRoute(
  c: StaffContext,
  req: IncomingMessage,
  url: URL,
): Promise<{ status: number; body: unknown } | null> {
  const one = /^\/staff\/v1\/users\/([^/]+)$/.exec(url.pathname);
  const all = url.pathname === '/staff/v1/users';
  const audit = url.pathname === '/staff/v1/audit' || url.pathname === '/staff/v1/audit/verify';
  if (!one && !all && !audit) return null;
  if (c.session.user.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only an admin manages accounts', { problem: 'role-forbidden' });
  if (audit && req.method === 'GET') {
    if (url.pathname.endsWith('/verify')) return { status: 200, body: await verifyAudit(c.db) };
    const q = AuditQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!q.success) throw new AppError('INVALID_INPUT', 'Unusable page', { problem: 'search-input' });
    return { status: 200, body: await listAudit(c.db, q.data) };
  }
  if (all && req.method === 'GET') return { status: 200, body: { users: await listUsers(c.db) } };
  if (all && req.method === 'POST') {
    const input = await jsonBody(req, NewUser);
    return { status: 201, body: await addUser(c.db, input, c.session.user.name, c.now) };
  }
  if (one && req.method === 'PATCH') {
    const change = await jsonBody(req, UserChange);
    return { status: 200, body: await updateUser(c.db, one[1]!, change, c.session.user.name, c.now) };
  }
  return null;
}
