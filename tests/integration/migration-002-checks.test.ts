import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { m002Checks } from '../../electron/core/db/migrations/002-checks';
import { saveCheck, latestCheck } from '../../electron/core/checks/check-store';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('migration 002: check results, findings, profiles, fix links', () => {
  it('upgrades a version-1 database, keeping its evidence, and stores checks against it', () => {
    const file = path.join(tmp(), 'proofpack.db');
    const old = new Database(file);
    migrate(
      old,
      migrations.filter((m) => m.version < 2),
    );
    old
      .prepare(`INSERT INTO orders (id, order_no, source, created_at, updated_at) VALUES (1, 'O-1', 'scan', 'x', 'x')`)
      .run();
    old
      .prepare(
        `INSERT INTO evidence (id, order_id, kind, origin, path, sha256, bytes, captured_at, created_at)
       VALUES (1, 1, 'video', 'recorded', 'media/a.mp4', 'ab', 10, 'x', 'x')`,
      )
      .run();
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(m002Checks.version);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining(['evidence_checks', 'check_findings', 'rule_profiles', 'fix_outputs']),
    );
    expect(db.prepare('SELECT check_state FROM evidence WHERE id = 1').get()).toEqual({ check_state: 'pending' });

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
    saveCheck(db, {
      evidenceId: 1,
      profile: { id: 'pdd', version: 1 },
      state: 'block',
      facts,
      findings: [finding],
      expectedCode: null,
      tookMs: 5,
    });
    saveCheck(db, {
      evidenceId: 1,
      profile: { id: 'pdd', version: 1 },
      state: 'block',
      facts,
      findings: [finding],
      expectedCode: null,
      tookMs: 6,
    });
    // only the latest result is kept; the evidence row follows it
    expect(db.prepare('SELECT COUNT(*) AS n FROM evidence_checks').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM check_findings').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT check_state FROM evidence WHERE id = 1').get()).toEqual({ check_state: 'block' });
    expect(latestCheck(db, 1, 'en')).toMatchObject({
      state: 'block',
      tookMs: 6,
      findings: [{ code: 'FILE_UNREADABLE', message: 'The file cannot be read: the file is damaged' }],
    });
    // a severity outside the contract is refused by the schema
    expect(() =>
      db.prepare(`INSERT INTO check_findings (check_id, code, severity, params) VALUES (1, 'X', 'fatal', '{}')`).run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
