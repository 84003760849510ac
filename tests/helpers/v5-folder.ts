import Database from 'better-sqlite3';
import path from 'node:path';
import { auditHash } from '../../electron/core/audit/audit-log';
import { openDatabase } from '../../electron/core/db/connection';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';

/**
 * A data folder's database as ProofPack wrote it before migration 006 (schema 5,
 * integer ids): made by the real migrations 001–005, filled with rows shaped like
 * the ones that version's services inserted, references between every table, an audit
 * chain hashed the way it was. Times are fixed, and two rows share a millisecond and
 * one row's time runs backwards, so id order has to survive both.
 */
export async function makeVersion5Database(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'proofpack.db');
  const db = await openDatabase(file, { migrate: false });
  await migrate(
    db,
    migrations.filter((m) => m.version <= 5),
  );
  await db.destroy();

  const raw = new Database(file);
  raw.pragma('foreign_keys = ON');
  const t = (s: number) => new Date(Date.UTC(2025, 0, 2, 8, 0, s)).toISOString();
  raw.exec(`
    INSERT INTO settings (key, value) VALUES ('app', '{"stationName":"A1"}');
    INSERT INTO rule_profiles (id, version, data, updated_at) VALUES ('pdd', 2, '{}', '${t(0)}');
    INSERT INTO import_mappings (name, mapping, options, created_at, updated_at) VALUES ('erp', '{}', '{}', '${t(0)}', '${t(0)}');
    INSERT INTO orders (id, order_no, tracking_no, source, created_at, updated_at) VALUES
      (1, 'O-1', 'SF1', 'scan', '${t(1)}', '${t(1)}'),
      (2, 'O-2', NULL, 'import', '${t(1)}', '${t(2)}'),
      (3, 'O-3', 'YT3', 'scan', '${t(0)}', '${t(3)}');
    INSERT INTO evidence (id, order_id, kind, origin, mode, path, sha256, bytes, station, operator, captured_at, parent_id, check_state, created_at) VALUES
      (1, 1, 'video', 'recorded', 'outbound', 'media/o1.mp4', 'aa', 100, 'A1', 'li', '${t(2)}', NULL, 'block', '${t(2)}'),
      (2, 1, 'video', 'fixed', 'outbound', 'media/o1-fixed.mp4', 'bb', 90, 'A1', 'li', '${t(2)}', 1, 'ok', '${t(3)}'),
      (4, 2, 'photo', 'imported', NULL, 'media/o2.jpg', 'cc', 10, '', '', '${t(4)}', NULL, 'pending', '${t(4)}');
    INSERT INTO recordings (id, order_id, scan_code, mode, mime, part_path, station, operator, started_at, status, evidence_id) VALUES
      ('5f0c7c1e-8d7a-4a57-9a8e-1d2f4c9b7e01', 1, 'O-1', 'outbound', 'video/mp4', 'tmp/r1.part', 'A1', 'li', '${t(1)}', 'finalized', 1),
      ('5f0c7c1e-8d7a-4a57-9a8e-1d2f4c9b7e02', 3, 'YT3', 'return', 'video/mp4', 'tmp/r2.part', 'A1', 'li', '${t(5)}', 'failed', NULL);
    INSERT INTO chapters (id, recording_id, step, at_ms) VALUES
      (1, '5f0c7c1e-8d7a-4a57-9a8e-1d2f4c9b7e01', 'label', 0),
      (2, '5f0c7c1e-8d7a-4a57-9a8e-1d2f4c9b7e01', 'seal', 4000);
    INSERT INTO evidence_checks (id, evidence_id, profile_id, profile_version, state, facts, checked_at, took_ms) VALUES
      (1, 1, 'pdd', 2, 'block', '{}', '${t(3)}', 5),
      (2, 2, 'pdd', 2, 'ok', '{}', '${t(4)}', 6);
    INSERT INTO check_findings (id, check_id, code, severity, fix, params) VALUES (1, 1, 'TOO_DARK', 'block', 'brighten', '{}');
    INSERT INTO fix_outputs (evidence_id, source_id, steps, part, parts, profile_id, profile_version, created_at) VALUES
      (2, 1, '["brighten"]', 1, 1, 'pdd', 2, '${t(3)}');
    INSERT INTO cases (id, order_id, profile_id, profile_version, appeal_type, scenario, created_at, updated_at) VALUES
      (1, 1, 'pdd', '2', 'goods', 'damaged', '${t(6)}', '${t(6)}');
    INSERT INTO case_links (case_id, requirement, evidence_id, excluded, created_at) VALUES (1, 'unboxing-video', 2, 0, '${t(6)}');
    INSERT INTO packets (id, case_id, name, dir_path, fingerprint, manifest_sha256, file_count, total_bytes, language, created_at) VALUES
      (1, 1, 'P1', 'packets/P1', 'fp', 'ms', 1, 90, 'zh-CN', '${t(7)}');
    INSERT INTO packet_files (packet_id, name, kind, requirement, evidence_id, sha256, bytes) VALUES
      (1, 'video.mp4', 'video', 'unboxing-video', 2, 'bb', 90);
    INSERT INTO purged_evidence (evidence_id, order_id, kind, mode, path, sha256, bytes, captured_at, purged_at, reason) VALUES
      (3, 2, 'video', 'outbound', 'media/o2-old.mp4', 'dd', 500, '${t(3)}', '${t(8)}', 'retention');
    INSERT INTO import_runs (id, source_name, file_name, file_sha256, file_bytes, status, started_at) VALUES
      (1, 'erp', 'orders.xlsx', 'ee', 1000, 'done', '${t(5)}');
    INSERT INTO order_facts (order_id, source_name, return_tracking_no, facts_hash, import_run_id, imported_at, updated_at) VALUES
      (2, 'erp', 'RT2', 'ff', 1, '${t(5)}', '${t(5)}');
    INSERT INTO serial_scans (id, order_id, recording_id, mode, serial, at_ms, scanned_at, station, operator, result, photo_evidence_id) VALUES
      (1, 1, '5f0c7c1e-8d7a-4a57-9a8e-1d2f4c9b7e01', 'outbound', 'SN1', 2000, '${t(2)}', 'A1', 'li', NULL, 4);
    INSERT INTO order_flags (id, order_id, flag, details, created_at) VALUES (1, 3, 'swapped-item', '{}', '${t(9)}');
  `);
  let prev = '0'.repeat(64);
  const insertAudit = raw.prepare(
    `INSERT INTO audit_log (id, at, actor, action, entity, entity_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  ['order.create', 'evidence.add', 'case.create'].forEach((action, i) => {
    const row = { at: t(10 + i), actor: 'li', action, entity: action.split('.')[0], entity_id: '1', details: '{}' };
    const hash = auditHash(prev, row);
    insertAudit.run(i + 1, row.at, row.actor, row.action, row.entity, row.entity_id, row.details, prev, hash);
    prev = hash;
  });
  raw.close();
  return file;
}
