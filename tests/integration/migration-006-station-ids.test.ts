import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { openDatabase } from '../../electron/core/db/connection';
import { readVersion } from '../../electron/core/db/migrate';
import { stationIdFor } from '../../electron/core/db/station-id';
import { useTempDirs } from '../helpers/temp';
import { makeVersion5Database } from '../helpers/v5-folder';

const tmp = useTempDirs();

/**
 * Every reference in the database, followed by value rather than id: the same text
 * before and after the migration means no row and no link between rows was lost.
 */
const REFERENCES = `
  SELECT 'evidence' AS t, e.path AS a, o.order_no AS b, p.path AS c FROM evidence e JOIN orders o ON o.id = e.order_id LEFT JOIN evidence p ON p.id = e.parent_id
  UNION ALL SELECT 'recording', r.part_path, o.order_no, e.path FROM recordings r JOIN orders o ON o.id = r.order_id LEFT JOIN evidence e ON e.id = r.evidence_id
  UNION ALL SELECT 'chapter', c.step, r.part_path, c.at_ms FROM chapters c JOIN recordings r ON r.id = c.recording_id
  UNION ALL SELECT 'check', c.checked_at, e.path, c.state FROM evidence_checks c JOIN evidence e ON e.id = c.evidence_id
  UNION ALL SELECT 'finding', f.code, c.checked_at, f.fix FROM check_findings f JOIN evidence_checks c ON c.id = f.check_id
  UNION ALL SELECT 'fix', e.path, s.path, f.steps FROM fix_outputs f JOIN evidence e ON e.id = f.evidence_id JOIN evidence s ON s.id = f.source_id
  UNION ALL SELECT 'case', c.scenario, o.order_no, c.created_at FROM cases c JOIN orders o ON o.id = c.order_id
  UNION ALL SELECT 'link', l.requirement, e.path, c.scenario FROM case_links l JOIN evidence e ON e.id = l.evidence_id JOIN cases c ON c.id = l.case_id
  UNION ALL SELECT 'packet', p.name, c.scenario, p.total_bytes FROM packets p JOIN cases c ON c.id = p.case_id
  UNION ALL SELECT 'packet-file', f.name, p.name, e.path FROM packet_files f JOIN packets p ON p.id = f.packet_id LEFT JOIN evidence e ON e.id = f.evidence_id
  UNION ALL SELECT 'purged', g.path, o.order_no, g.reason FROM purged_evidence g JOIN orders o ON o.id = g.order_id
  UNION ALL SELECT 'facts', f.return_tracking_no, o.order_no, r.file_name FROM order_facts f JOIN orders o ON o.id = f.order_id LEFT JOIN import_runs r ON r.id = f.import_run_id
  UNION ALL SELECT 'serial', s.serial, o.order_no, e.path FROM serial_scans s JOIN orders o ON o.id = s.order_id LEFT JOIN evidence e ON e.id = s.photo_evidence_id
  UNION ALL SELECT 'flag', g.flag, o.order_no, g.created_at FROM order_flags g JOIN orders o ON o.id = g.order_id
  UNION ALL SELECT 'setting', key, value, NULL FROM settings
  UNION ALL SELECT 'profile', id, data, version FROM rule_profiles
  UNION ALL SELECT 'mapping', name, mapping, options FROM import_mappings
  UNION ALL SELECT 'audit', action, hash, prev_hash FROM audit_log
  ORDER BY 1, 2, 3, 4`;

const TABLES = [
  'orders',
  'evidence',
  'recordings',
  'chapters',
  'audit_log',
  'evidence_checks',
  'check_findings',
  'cases',
  'packets',
  'import_runs',
  'serial_scans',
  'order_flags',
  'purged_evidence',
  'order_facts',
  'case_links',
  'packet_files',
  'fix_outputs',
];

describe('migration 006: UUIDv7 ids and the station on every row', () => {
  it('upgrades a folder written by the version before it, keeping every row and every reference', async () => {
    const dir = tmp();
    const file = await makeVersion5Database(dir);
    const before = new Database(file, { readonly: true });
    const refsBefore = before.prepare(REFERENCES).all();
    const counts = (d: Database.Database) =>
      Object.fromEntries(
        TABLES.map((t) => [t, (d.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]),
      );
    const countsBefore = counts(before);
    const orderIdsBefore = before.prepare('SELECT order_no FROM orders ORDER BY id').pluck().all();
    before.close();

    const db = await openDatabase(file);
    expect(await readVersion(db)).toBeGreaterThanOrEqual(6); // and on through the later migrations
    expect(await verifyAudit(db)).toEqual({ ok: true, entries: 3, brokenAt: null, reason: null });
    await db.destroy();

    const after = new Database(file, { readonly: true });
    expect(after.prepare(REFERENCES).all()).toEqual(refsBefore);
    expect(counts(after)).toEqual(countsBefore);
    expect(after.pragma('foreign_key_check')).toEqual([]);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');

    // ids: UUIDv7 text, sorting like the old integers (even with equal and backward times)
    const uuidv7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const t of TABLES.filter(
      (x) => !['order_facts', 'case_links', 'packet_files', 'fix_outputs', 'purged_evidence', 'recordings'].includes(x),
    )) {
      for (const id of after.prepare(`SELECT id FROM ${t}`).pluck().all()) expect(id).toMatch(uuidv7);
    }
    expect(after.prepare('SELECT order_no FROM orders ORDER BY id').pluck().all()).toEqual(orderIdsBefore);
    expect(after.prepare('SELECT legacy_id FROM orders ORDER BY id').pluck().all()).toEqual([1, 2, 3]);
    expect(after.prepare('SELECT legacy_id FROM evidence ORDER BY id').pluck().all()).toEqual([1, 2, 4]);
    expect(after.prepare('SELECT legacy_id FROM purged_evidence').pluck().all()).toEqual([3]);
    expect(after.prepare('SELECT seq FROM audit_log ORDER BY id').pluck().all()).toEqual([1, 2, 3]);
    // a recording's id was already a UUID and stays what it was (file names use it)
    expect(after.prepare('SELECT id FROM recordings ORDER BY started_at').pluck().all()).toEqual([
      '5f0c7c1e-8d7a-4a57-9a8e-1d2f4c9b7e01',
      '5f0c7c1e-8d7a-4a57-9a8e-1d2f4c9b7e02',
    ]);
    // every created row names this folder's station
    const station = stationIdFor(dir);
    for (const t of [
      'orders',
      'evidence',
      'recordings',
      'chapters',
      'audit_log',
      'evidence_checks',
      'check_findings',
      'cases',
      'packets',
      'import_runs',
      'serial_scans',
      'order_flags',
    ]) {
      expect(after.prepare(`SELECT DISTINCT station_id FROM ${t}`).pluck().all()).toEqual([station]);
    }
    // the append-only guard came back after the rebuild
    expect(() => after.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow();
    after.close();
    const rw = new Database(file);
    expect(() => rw.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    rw.close();
  });

  it('aborts as a whole, leaving the version-5 database untouched, when a reference has no row', async () => {
    const dir = tmp();
    const file = await makeVersion5Database(dir);
    const raw = new Database(file);
    raw.pragma('foreign_keys = OFF');
    raw.prepare('UPDATE evidence SET order_id = 99 WHERE id = 4').run();
    raw.close();
    await expect(openDatabase(file)).rejects.toThrow(/migration 006: cannot copy evidence/);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(5);
    expect(after.prepare('SELECT id FROM orders ORDER BY id').pluck().all()).toEqual([1, 2, 3]);
    after.close();
  });
});
