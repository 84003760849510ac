import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { v7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../electron/core/audit/audit-log';
import { openDatabase } from '../../electron/core/db/connection';
import { copyDatabase } from '../../electron/core/db/copy/copy-database';
import { COPY_PLAN } from '../../electron/core/db/copy/copy-plan';
import type { Db } from '../../electron/core/db/db';
import { sqlFor } from '../../electron/core/db/engine-sql';
import { newId } from '../../electron/core/db/ids';
import { resolveDbTarget, type DbTarget } from '../../electron/core/db/target';
import { insertEvidence } from '../../electron/core/evidence/evidence-repo';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';
import { makeVersion5Database } from '../helpers/v5-folder';

const tmp = useTempDirs();
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'proofpack.mjs');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PROOFPACK_LANG: 'en', ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const sqliteIn = (dir: string): DbTarget => ({ engine: 'sqlite', file: path.join(dir, 'proofpack.db') });
/** a fresh, empty database of the engine under test (PostgreSQL when PROOFPACK_TEST_PG is set) */
const freshTarget = () => resolveDbTarget({ dataDir: tmp() });
const urlOf = (t: DbTarget) => (t.engine === 'sqlite' ? t.file : t.url);

async function withDb<T>(t: DbTarget, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(t, { stationId: newId() });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Every row of every table, sorted by its key in JS (not by the engine: PostgreSQL and
 * SQLite collate text differently), so two databases compare column for column.
 */
async function dump(t: DbTarget): Promise<Record<string, unknown[]>> {
  return withDb(t, async (db) => {
    const out: Record<string, unknown[]> = {};
    const rows = db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
    for (const { table, key } of COPY_PLAN) {
      const all = await rows.selectFrom(table).selectAll().execute();
      const k = (r: Record<string, unknown>) => JSON.stringify(key.map((c) => r[c]));
      out[table] = all.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
    }
    return out;
  });
}

/**
 * A station database as it really is: the version-5 folder (rows in every table,
 * references between them, a legacy audit chain), migrated on open, plus 240 orders
 * (many pages), new audit entries, and a fix whose id sorts before its source's (made on
 * a station whose clock was behind).
 */
async function stationDatabase(): Promise<DbTarget> {
  const dir = tmp();
  await makeVersion5Database(dir);
  const source = sqliteIn(dir);
  await withDb(source, async (db) => {
    const at = '2025-03-01T08:00:00.000Z';
    const orders = Array.from({ length: 240 }, (_, i) => ({
      id: newId(),
      order_no: `250301-${String(i).padStart(6, '0')}`,
      tracking_no: i % 3 ? `SF${i}` : null,
      source: 'import' as const,
      created_at: at,
      updated_at: at,
      station_id: db.stationId,
      legacy_id: null,
    }));
    for (let i = 0; i < orders.length; i += 80)
      await db
        .insertInto('orders')
        .values(orders.slice(i, i + 80))
        .execute();
    const parentId = await insertEvidence(db, {
      orderId: orders[0].id,
      kind: 'photo',
      origin: 'imported',
      mode: null,
      path: 'media/late-clock.jpg',
      originalName: '标签.jpg',
      mime: 'image/jpeg',
      sha256: 'ab'.repeat(32),
      bytes: 12345,
      durationMs: null,
      width: 800,
      height: 600,
      station: 'B2',
      operator: '小王',
      capturedAt: at,
      parentId: null,
    });
    await db
      .insertInto('evidence')
      .values({
        id: v7({ msecs: Date.UTC(2020, 0, 1) }),
        order_id: orders[0].id,
        kind: 'photo',
        origin: 'fixed',
        mode: null,
        path: 'media/late-clock-fixed.jpg',
        original_name: '标签.jpg',
        mime: 'image/jpeg',
        sha256: 'cd'.repeat(32),
        bytes: 9999,
        duration_ms: null,
        width: 800,
        height: 600,
        station: 'B2',
        operator: '小王',
        captured_at: at,
        parent_id: parentId,
        check_state: 'ok',
        created_at: at,
        station_id: db.stationId,
        legacy_id: null,
      })
      .execute();
    for (let i = 0; i < 12; i++)
      await appendAudit(db, { actor: '小王', action: 'order.import', entity: 'order', entityId: orders[i].id });
  });
  return source;
}

describe(`proofpack db copy (SQLite → ${testEngine} → SQLite)`, () => {
  it('copies a station database into an empty one and back, row for row, with the audit chain intact', async () => {
    const source = await stationDatabase();
    const middle = await freshTarget();
    const seen: string[] = [];
    const there = await copyDatabase(source, middle, { batchRows: 7, onTable: (t) => seen.push(t) });
    expect(seen).toEqual(COPY_PLAN.map((t) => t.table));
    expect(there.ok).toBe(true);
    expect(there.tables.every((t) => t.ok && t.source === t.target)).toBe(true);
    expect(there.tables.find((t) => t.table === 'orders')).toMatchObject({ source: 243, target: 243 });
    expect(there.audit).toMatchObject({ ok: true, entries: 15, brokenAt: null, sourceBrokenToo: null });

    const back = sqliteIn(tmp());
    const again = await copyDatabase(middle, back, { batchRows: 100 });
    expect(again.ok).toBe(true);
    expect(again.rows).toBe(there.rows);

    const original = await dump(source);
    expect(await dump(middle)).toEqual(original);
    expect(await dump(back)).toEqual(original);
    // the copy is a working database: the chain goes on where it stopped
    await withDb(back, async (db) => {
      await appendAudit(db, { actor: 'x', action: 'after.copy', entity: 'order' });
      const { verifyAudit } = await import('../../electron/core/audit/audit-log');
      expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 16 });
    });
  });

  it('lists every table a migrated database has, parents first', async () => {
    await withDb(await freshTarget(), async (db) => {
      const tables = await sqlFor(db).listTables(db);
      expect([...COPY_PLAN.map((t) => t.table)].sort()).toEqual(tables.filter((t) => t !== 'schema_version').sort());
    });
  });

  it('refuses a target that holds rows or is the source, and leaves it as it was', async () => {
    const source = await stationDatabase();
    const target = await freshTarget();
    await copyDatabase(source, target);
    const before = await dump(target);
    await expect(copyDatabase(source, target)).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { problem: 'db-copy-target-not-empty', table: 'orders', rows: 243 },
    });
    expect(await dump(target)).toEqual(before);
    await expect(copyDatabase(source, { ...source })).rejects.toMatchObject({
      details: { problem: 'db-copy-same' },
    });
  });

  it('a copy that fails half-way leaves the target empty', async () => {
    const source = await stationDatabase();
    // the last table names an order that does not exist (written with foreign keys off)
    const raw = new Database((source as { file: string }).file);
    raw.pragma('foreign_keys = OFF');
    raw
      .prepare(
        `INSERT INTO order_flags (id, order_id, flag, details, created_at, station_id) VALUES (?, ?, 'swapped-item', '{}', '2025-01-01T00:00:00.000Z', 's')`,
      )
      .run(newId(), newId());
    raw.close();
    const target = await freshTarget();
    await expect(copyDatabase(source, target, { batchRows: 50 })).rejects.toThrow();
    const rows = Object.values(await dump(target)).reduce((n, r) => n + r.length, 0);
    expect(rows).toBe(0);
  });

  it('copies a broken audit chain faithfully and says the source was broken already', async () => {
    const source = await stationDatabase();
    const raw = new Database((source as { file: string }).file);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run();
    raw.close();
    const r = await copyDatabase(source, await freshTarget());
    expect(r.ok).toBe(false);
    expect(r.tables.every((t) => t.ok)).toBe(true);
    expect(r.audit).toMatchObject({ ok: false, brokenAt: 2, reason: 'entry-edited', sourceBrokenToo: true });
  });
});

describe(`the CLI: db copy and --db (${testEngine})`, () => {
  it('copies with a JSON or text report and exit codes; every command reads the copy with --db', async () => {
    const source = await stationDatabase();
    const target = await freshTarget();
    let r = cli(['db', 'copy', '--from', `sqlite://${urlOf(source)}`, '--to', urlOf(target), '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ ok: true, rows: expect.any(Number), audit: { ok: true, entries: 15 } });
    expect(report.to).not.toMatch(/:[^:@/]+@/); // never a password

    // the target is not empty any more: refused, exit 1, said in the chosen language
    r = cli(['db', 'copy', '--from', urlOf(source), '--to', urlOf(target)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is not empty (orders has 243 rows)');
    r = cli(['db', 'copy', '--from', urlOf(source), '--to', urlOf(target)], { PROOFPACK_LANG: 'zh-CN' });
    expect(r.err).toContain('不是空的');

    // usage errors: exit 2
    expect(cli(['db', 'copy', '--from', urlOf(source)]).code).toBe(2);
    expect(cli(['db', 'copy', '--from', 'mysql://x/y', '--to', urlOf(target)]).code).toBe(2);
    expect(cli(['db', 'copy', '--from', urlOf(source), '--to', urlOf(target), '--db', 'x.db']).code).toBe(2);
    expect(cli(['list', '--db'])).toMatchObject({ code: 2 });

    // text report
    const text = cli(['db', 'copy', '--from', urlOf(source), '--to', urlOf(sqliteIn(tmp()))]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/orders\s+243 rows → 243 rows ✓/);
    expect(text.out).toContain('Copy complete and verified');

    // any command on the copy: --db, or PROOFPACK_DB (the data folder only holds media)
    const media = tmp();
    const listed = cli(['list', '--data-dir', media, '--db', urlOf(target), '--json']);
    expect(listed.code).toBe(0);
    const orders = JSON.parse(listed.out) as { orderNo: string; evidence: unknown[] }[];
    expect(orders).toHaveLength(243);
    expect(orders.find((o) => o.orderNo === 'O-1')?.evidence).toHaveLength(2);
    const viaEnv = cli(['list', '--data-dir', media, '--json'], { PROOFPACK_DB: urlOf(target) });
    expect(JSON.parse(viaEnv.out)).toEqual(orders);
  });
});
