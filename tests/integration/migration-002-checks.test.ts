import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { latestCheck, saveCheck } from '../../electron/core/checks/check-store';
import { sqlFor } from '../../electron/core/db/engine-sql';
import { newId } from '../../electron/core/db/ids';
import { migrate, readVersion } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { m002Checks } from '../../electron/core/db/migrations/002-checks';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

describe(`migration 002: check results, findings, profiles, fix links (${testEngine})`, () => {
  it('upgrades a version-1 database, keeping its evidence, and stores checks against it', async () => {
    const dir = tmp();
    const old = await openTestDb(dir, { migrate: false });
    await migrate(
      old,
      migrations.filter((m) => m.version < 2),
    );
    expect(await readVersion(old)).toBe(1);
    // rows as a version-1 app wrote them: integer ids on SQLite; PostgreSQL began with text ids
    if (old.engine === 'sqlite') {
      await sql`INSERT INTO orders (id, order_no, source, created_at, updated_at) VALUES (1, 'O-1', 'scan', 'x', 'x')`.execute(
        old,
      );
      await sql`INSERT INTO evidence (id, order_id, kind, origin, path, sha256, bytes, captured_at, created_at)
        VALUES (1, 1, 'video', 'recorded', 'media/a.mp4', 'ab', 10, 'x', 'x')`.execute(old);
    } else {
      const orderId = newId();
      await sql`INSERT INTO orders (id, order_no, source, created_at, updated_at, station_id)
        VALUES (${orderId}, 'O-1', 'scan', 'x', 'x', ${old.stationId})`.execute(old);
      await sql`INSERT INTO evidence (id, order_id, kind, origin, path, sha256, bytes, captured_at, created_at, station_id)
        VALUES (${newId()}, ${orderId}, 'video', 'recorded', 'media/a.mp4', 'ab', 10, 'x', 'x', ${old.stationId})`.execute(
        old,
      );
    }
    await old.destroy();

    const db = await openTestDb(dir);
    expect(await readVersion(db)).toBeGreaterThanOrEqual(m002Checks.version);
    expect(await sqlFor(db).listTables(db)).toEqual(
      expect.arrayContaining(['evidence_checks', 'check_findings', 'rule_profiles', 'fix_outputs']),
    );
    const evidence = await db
      .selectFrom('evidence')
      .select(['id', 'check_state'])
      .where('path', '=', 'media/a.mp4')
      .executeTakeFirstOrThrow();
    expect(evidence.check_state).toBe('pending');

    const facts = {
      name: 'a.mp4',
      bytes: 10,
      ext: 'mp4',
      kind: 'unknown' as const,
      format: null,
      container: null,
      unreadable: 'damaged' as const,
      detail: null,
      video: null,
      photo: null,
      label: null,
      checkError: null,
    };
    const finding = { code: 'FILE_UNREADABLE' as const, severity: 'block' as const, params: { reason: 'damaged' } };
    const check = (tookMs: number) => ({
      evidenceId: evidence.id,
      profile: { id: 'pdd', version: 1 },
      state: 'block' as const,
      facts,
      findings: [finding],
      expectedCode: null,
      tookMs,
    });
    expect(await saveCheck(db, check(5))).toBe(true);
    expect(await saveCheck(db, check(6))).toBe(true);
    // only the latest result is kept; the evidence row follows it
    const count = async (table: 'evidence_checks' | 'check_findings') =>
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    expect(await count('evidence_checks')).toBe(1);
    expect(await count('check_findings')).toBe(1);
    expect(
      await db.selectFrom('evidence').select('check_state').where('id', '=', evidence.id).executeTakeFirst(),
    ).toEqual({ check_state: 'block' });
    expect(await latestCheck(db, evidence.id, 'en')).toMatchObject({
      evidenceId: evidence.id,
      state: 'block',
      tookMs: 6,
      findings: [{ code: 'FILE_UNREADABLE', message: 'The file cannot be read: the file is damaged' }],
    });
    // a file removed meanwhile (retention) gets no result
    expect(await saveCheck(db, { ...check(7), evidenceId: newId() })).toBe(false);
    // a severity outside the contract is refused by the schema
    const { id: checkId } = await db.selectFrom('evidence_checks').select('id').executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('check_findings')
        .values({
          id: newId(),
          check_id: checkId,
          code: 'X',
          severity: 'fatal' as never,
          params: '{}',
          station_id: db.stationId,
        })
        .execute(),
    ).rejects.toThrow(/check constraint/i);
  });
});
