import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrate, readVersion, type Migration } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { resolveDbTarget } from '../../electron/core/db/target';
import { stationIdFor } from '../../electron/core/db/station-id';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const latest = migrations[migrations.length - 1].version;

describe(`migration runner (${testEngine})`, () => {
  it('brings a new database to the latest version', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBe(latest);
    if (db.engine === 'sqlite') {
      const pragma = async (p: string) =>
        Object.values((await sql.raw(`PRAGMA ${p}`).execute(db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(2);
    }
  });

  it('is idempotent: reopening runs nothing twice', async () => {
    const dir = tmp();
    await (await openTestDb(dir)).destroy();
    const db = await openTestDb(dir);
    expect(await readVersion(db)).toBe(latest);
    expect(
      await db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ).toEqual({
      n: 0,
    });
  });

  // two pools = two sessions; SQLite's busy wait blocks the one thread, so it needs two processes
  it.runIf(testEngine === 'postgres')('lets two processes start on one empty database at once', async () => {
    const dir = tmp();
    const target = await resolveDbTarget({ dataDir: dir });
    const stationId = stationIdFor(dir);
    const [a, b] = await Promise.all([openDatabase(target, { stationId }), openDatabase(target, { stationId })]);
    try {
      expect(await readVersion(a)).toBe(latest);
      expect(await readVersion(b)).toBe(latest);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });

  it('refuses a database newer than the app', async () => {
    const dir = tmp();
    const db = await openTestDb(dir);
    if (db.engine === 'sqlite') await sql`PRAGMA user_version = 9999`.execute(db);
    else await sql`UPDATE schema_version SET version = 9999`.execute(db);
    await db.destroy();
    await expect(openTestDb(dir)).rejects.toThrowError(/newer than this app/);
  });

  it('rolls back a failing migration entirely, including the version', async () => {
    const db = await openTestDb(tmp(), { migrate: false });
    const step = (script: string): Pick<Migration, 'sqlite' | 'postgres'> => ({
      sqlite: ({ exec }) => exec(script),
      postgres: ({ exec }) => exec(script),
    });
    const list: Migration[] = [
      { version: 1, name: 'ok', ...step('CREATE TABLE a (x INTEGER)') },
      { version: 2, name: 'bad', ...step('CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1)') },
    ];
    await expect(migrate(db, list)).rejects.toThrow();
    expect(await readVersion(db)).toBe(1);
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM a`.execute(db);
    expect(Number(rows[0].n)).toBe(0);
    await expect(sql`SELECT * FROM b`.execute(db)).rejects.toThrow();
  });

  it('refuses a broken migration list', async () => {
    const db = await openTestDb(tmp(), { migrate: false });
    const noop = async () => undefined;
    await expect(
      migrate(db, [
        { version: 2, name: 'a', sqlite: noop, postgres: noop },
        { version: 1, name: 'b', sqlite: noop, postgres: noop },
      ]),
    ).rejects.toThrow(/broken/);
  });

  it('keeps the audit log append-only', async () => {
    const db = await openTestDb(tmp());
    await db
      .insertInto('audit_log')
      .values({
        id: '0190a000-0000-7000-8000-000000000001',
        seq: 1,
        at: 't',
        actor: 'a',
        action: 'x',
        entity: 'e',
        entity_id: null,
        details: '{}',
        prev_hash: '0',
        hash: '1',
        station_id: db.stationId,
      })
      .execute();
    await expect(db.updateTable('audit_log').set({ actor: 'b' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    if (db.engine === 'postgres') await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });
});

describe('SQLite file', () => {
  it('refuses to start on a corrupt database and leaves it in place', async () => {
    const dir = tmp();
    const file = path.join(dir, 'proofpack.db');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
    await expect(openDatabase(file)).rejects.toThrowError();
    expect(fs.readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('keeps PRAGMA user_version as the schema version, as every earlier ProofPack did', async () => {
    const file = path.join(tmp(), 'proofpack.db');
    await (await openDatabase(file)).destroy();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(latest);
    raw.close();
  });
});
