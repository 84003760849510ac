import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Db } from '../../electron/core/db/db';
import { addUser, listUsers, updateUser } from '../../electron/core/accounts/users';
import {
  ADDRESS_LIMIT,
  LOCK_AFTER,
  LOCK_MS,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  sessionOf,
  signIn,
  signOut,
  signOutEverywhere,
} from '../../electron/core/accounts/sessions';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { useTempDirs } from '../helpers/temp';
import { useTestDb } from '../helpers/test-db';

const tempDir = useTempDirs();
const openDb = useTestDb();
const T0 = new Date('2026-12-04T09:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const PW = 'correct horse battery';
const from = { address: '192.168.1.20', agent: 'Mozilla/5.0 (test)' };

async function hub(): Promise<Db> {
  return openDb(tempDir());
}
const problemOf = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { code: string; details?: { problem?: string } }) => `${e.code}:${e.details?.problem}`,
  );

describe('staff accounts on the hub: argon2 passwords, sessions, lockout, rate limit', () => {
  it('adds users with roles and shops; names are unique whatever their case; bad input is refused in words', async () => {
    const db = await hub();
    const admin = await addUser(db, { name: 'Li Na', role: 'admin', password: PW }, 'cli', T0);
    expect(admin).toMatchObject({ name: 'Li Na', role: 'admin', shops: [], disabled: false });
    const viewer = await addUser(
      db,
      { name: '王芳', role: 'viewer', shops: ['店铺B', '店铺A', '店铺A'], password: PW },
      'cli',
      T0,
    );
    expect(viewer.shops).toEqual(['店铺A', '店铺B']);
    expect(await problemOf(addUser(db, { name: ' li na ', role: 'clerk', password: PW }, 'cli'))).toBe(
      'CONFLICT:user-name-taken',
    );
    expect(await problemOf(addUser(db, { name: 'x', role: 'boss', password: PW }, 'cli'))).toBe(
      'INVALID_INPUT:user-role',
    );
    expect(await problemOf(addUser(db, { name: 'x', role: 'clerk', password: 'short' }, 'cli'))).toBe(
      'INVALID_INPUT:password-length',
    );
    expect(await problemOf(addUser(db, { name: 'a\u0000b', role: 'clerk', password: PW }, 'cli'))).toBe(
      'INVALID_INPUT:user-name',
    );
    expect((await listUsers(db)).map((u) => u.name)).toEqual(['Li Na', '王芳']);
    // the password is kept as argon2id only
    const row = await db
      .selectFrom('hub_users')
      .select('password_hash')
      .where('id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(PW);
  });

  it('signs in with the right password only; the session lives by its cookie token, idles out and ends at its maximum', async () => {
    const db = await hub();
    await addUser(db, { name: 'Li Na', role: 'clerk', password: PW }, 'cli', T0);
    expect(await problemOf(signIn(db, { name: 'Li Na', password: 'wrong password!', ...from }, T0))).toBe(
      'UNAUTHORIZED:sign-in-failed',
    );
    // an unknown name gets the very same answer
    expect(await problemOf(signIn(db, { name: 'Nobody', password: PW, ...from }, T0))).toBe(
      'UNAUTHORIZED:sign-in-failed',
    );
    const s = await signIn(db, { name: 'LI NA', password: PW, ...from }, T0);
    expect(s.token).toMatch(/^[\w-]{43}$/); // 256 bits
    expect(s.csrf).not.toBe(s.token);
    // the database holds only the token's hash
    const rows = await db.selectFrom('hub_sessions').select('id').execute();
    expect(rows.map((r) => r.id)).not.toContain(s.token);
    expect((await sessionOf(db, s.token, at(60_000)))?.user.name).toBe('Li Na');
    expect(await sessionOf(db, s.token + 'x', at(60_000))).toBeNull();
    // used every few hours it lives on, up to its maximum
    for (let h = 6; h * 3600_000 < SESSION_MAX_MS; h += 6)
      expect(await sessionOf(db, s.token, at(h * 3600_000))).not.toBeNull();
    expect(await sessionOf(db, s.token, at(SESSION_MAX_MS + 1))).toBeNull();
    // left alone past the idle time it ends
    const idle = await signIn(db, { name: 'Li Na', password: PW, ...from }, T0);
    expect(await sessionOf(db, idle.token, at(SESSION_IDLE_MS + 1))).toBeNull();
  });

  it('locks a name after repeated wrong passwords (a name with no account too), and slows an address', async () => {
    const db = await hub();
    await addUser(db, { name: 'Li Na', role: 'clerk', password: PW }, 'cli', T0);
    for (let i = 0; i < LOCK_AFTER; i++)
      await problemOf(signIn(db, { name: 'Li Na', password: `guess ${i} guess`, ...from }, T0));
    expect(await problemOf(signIn(db, { name: 'Li Na', password: PW, ...from }, at(1000)))).toBe(
      'UNAUTHORIZED:sign-in-locked',
    );
    for (let i = 0; i < LOCK_AFTER; i++)
      await problemOf(signIn(db, { name: 'Ghost', password: `guess ${i} guess`, ...from }, T0));
    expect(await problemOf(signIn(db, { name: 'Ghost', password: PW, ...from }, at(1000)))).toBe(
      'UNAUTHORIZED:sign-in-locked',
    );
    // after the lock, the right password works again
    expect((await signIn(db, { name: 'Li Na', password: PW, ...from }, at(LOCK_MS + 2000))).user.name).toBe('Li Na');
    // one address trying many names is slowed, another address is not
    const other = { address: '192.168.1.99', agent: null };
    let last = '';
    for (let i = 0; i <= ADDRESS_LIMIT; i++)
      last = await problemOf(signIn(db, { name: `n${i}`, password: PW, ...other }, at(LOCK_MS * 3)));
    expect(last).toBe('RATE_LIMITED:sign-in-rate-limited');
    expect((await signIn(db, { name: 'Li Na', password: PW, ...from }, at(LOCK_MS * 3))).user.name).toBe('Li Na');
  });

  it('a role change, a disabled account or sign-out everywhere ends every session; the last admin stays', async () => {
    const db = await hub();
    const admin = await addUser(db, { name: 'Admin', role: 'admin', password: PW }, 'cli', T0);
    const clerk = await addUser(db, { name: 'Clerk', role: 'clerk', password: PW }, 'cli', T0);
    const a = await signIn(db, { name: 'Clerk', password: PW, ...from }, T0);
    const b = await signIn(db, { name: 'Clerk', password: PW, ...from }, T0);
    await updateUser(db, clerk.id, { role: 'viewer' }, 'Admin', at(1000));
    expect(await sessionOf(db, a.token, at(2000))).toBeNull();
    expect(await sessionOf(db, b.token, at(2000))).toBeNull();
    const c = await signIn(db, { name: 'Clerk', password: PW, ...from }, at(3000));
    expect((await sessionOf(db, c.token, at(4000)))?.user.role).toBe('viewer');
    expect(await signOutEverywhere(db, clerk.id)).toBe(1);
    await updateUser(db, clerk.id, { disabled: true }, 'Admin', at(5000));
    expect(await problemOf(signIn(db, { name: 'Clerk', password: PW, ...from }, at(6000)))).toBe(
      'UNAUTHORIZED:sign-in-failed',
    );
    expect(await problemOf(updateUser(db, admin.id, { role: 'clerk' }, 'Admin'))).toBe('CONFLICT:last-admin');
    expect(await problemOf(updateUser(db, admin.id, { disabled: true }, 'Admin'))).toBe('CONFLICT:last-admin');
    const own = await signIn(db, { name: 'Admin', password: PW, ...from }, at(7000));
    await signOut(db, own.token, at(8000));
    expect(await sessionOf(db, own.token, at(9000))).toBeNull();
    // every step is in the audit log, the chain intact
    const actions = (await db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.created',
        'user.signed-in',
        'user.role-changed',
        'user.changed',
        'user.sign-in-failed',
        'user.signed-out',
      ]),
    );
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('proofpack users add reads the password from stdin and prints the user; users list shows it', () => {
    const dir = tempDir();
    const bin = path.resolve(__dirname, '../../bin/proofpack.mjs');
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, [bin, ...args], {
        input,
        encoding: 'utf8',
        env: { ...process.env, PROOFPACK_LANG: 'en' },
      });
    const added = run(
      [
        'users',
        'add',
        '--data-dir',
        dir,
        '--name',
        '仓库主管',
        '--role',
        'viewer',
        '--shop',
        'A店',
        '--shop',
        'B店',
        '--password-stdin',
        '--json',
      ],
      `${PW}\n`,
    );
    expect(added.status, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: '仓库主管', role: 'viewer', shops: ['A店', 'B店'] });
    const short = run(
      ['users', 'add', '--data-dir', dir, '--name', 'x', '--role', 'clerk', '--password-stdin'],
      'short\n',
    );
    expect(short.status).toBe(2); // bad input: a usage error, said in words
    expect(short.stderr).toContain('A password has 10–256 characters');
    const noStdin = run(['users', 'add', '--data-dir', dir, '--name', 'x', '--role', 'clerk']);
    expect(noStdin.status).toBe(2);
    const list = run(['users', 'list', '--data-dir', dir]);
    expect(list.stdout).toContain('仓库主管\tViewer\tA店, B店');
  }, 240_000);
});
