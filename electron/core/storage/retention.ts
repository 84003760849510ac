import fsp from 'node:fs/promises';
import path from 'node:path';
import type { RetentionItem, RetentionReport } from '../../../shared/api/calls/storage';
import type { StorageSettings } from '../../../shared/domain/settings';
import { appendAudit } from '../audit/audit-log';
import { caseProfile } from '../cases/profiles';
import type { CoreContext } from '../context';
import type { DB } from '../db/connection';
import { freeBytes } from './files';
import { retentionPins } from './retention-pins';

const DAY = 86_400_000;
/** the dry-run view lists this many files; totals always cover all of them */
const MAX_LISTED = 500;

interface CandidateRow {
  id: number;
  order_id: number;
  order_no: string;
  kind: 'video' | 'photo';
  mode: 'outbound' | 'return';
  path: string;
  sha256: string;
  bytes: number;
  captured_at: string;
}

/** Rolls the dry run back after it really tried every deletion. */
class DryRunRollback extends Error {}

/**
 * Retention: station footage (videos and photos, recorded, recovered or fixed — never
 * imported documents) older than its mode's limit, of orders no case needs, is deleted.
 *
 * Each deletion is one transaction: the evidence row goes (rows that point at it are
 * detached: recordings, packet file lists, serial scans, case links of finished cases),
 * its record is kept in `purged_evidence`, and the audit log gets the hash the file had.
 * The file is removed only after that commit. Any other table still pointing at the
 * file makes the foreign key refuse the deletion: that file is kept and reported as
 * "in use". The dry run performs exactly the same deletions inside a transaction that
 * is rolled back, so what it shows is what a real run would do.
 */
export async function runRetention(
  ctx: CoreContext,
  opts: { dryRun: boolean; now?: Date; actor?: string },
): Promise<RetentionReport> {
  const now = opts.now ?? new Date();
  const settings = ctx.settings.get().storage;
  const db = ctx.db;
  const report = emptyReport(settings, now, opts.dryRun);
  report.freeBytesBefore = freeBytes(ctx.paths.media);
  if (!settings.retentionEnabled) return report;

  const pins = retentionPins(db, now, (id) => appealHours(ctx, id));
  const candidates = (
    db
      .prepare(
        `SELECT e.id, e.order_id, o.order_no, e.kind, e.mode, e.path, e.sha256, e.bytes, e.captured_at
       FROM evidence e JOIN orders o ON o.id = e.order_id
       WHERE e.kind IN ('video','photo') AND e.origin != 'imported'
         AND ((e.mode = 'outbound' AND e.captured_at < ?) OR (e.mode = 'return' AND e.captured_at < ?))
       ORDER BY e.id DESC`,
      )
      .all(report.cutoff.outbound, report.cutoff.return) as CandidateRow[]
  ).filter((c) => {
    const pinned = pins.orderIds.has(c.order_id) || pins.evidenceIds.has(c.id);
    if (pinned) report.pinnedCount++;
    return !pinned;
  });

  /** one deletion in its own (savepoint of a) transaction; false: something refers to it */
  const tryDelete = (c: CandidateRow): boolean => {
    try {
      db.transaction(() => deleteRow(db, c, now, opts.actor))();
      return true;
    } catch (e) {
      if (!/FOREIGN KEY/i.test((e as Error).message)) throw e;
      report.skipped.push({ evidenceId: c.id, path: c.path, reason: 'in-use' });
      return false;
    }
  };
  const count = (c: CandidateRow) => {
    report.deletedCount++;
    report.deletedBytes += c.bytes;
    if (report.items.length < MAX_LISTED) report.items.push(toItem(c, now));
  };
  if (opts.dryRun) {
    // every deletion for real, inside one transaction that is then rolled back
    try {
      db.transaction(() => {
        for (const c of candidates) if (tryDelete(c)) count(c);
        throw new DryRunRollback();
      })();
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
  } else {
    // one durable commit per file, then its file; awaiting the removal lets a running
    // recording's chunks through between deletions
    for (const c of candidates) {
      if (!tryDelete(c)) continue;
      count(c);
      await removeFile(ctx, c, report);
    }
  }
  if (!opts.dryRun && report.deletedCount > 0) {
    appendAudit(db, {
      actor: opts.actor ?? 'retention',
      action: 'retention.run',
      entity: 'storage',
      details: {
        deleted: report.deletedCount,
        bytes: report.deletedBytes,
        skipped: report.skipped.length,
        cutoff: report.cutoff,
      },
    });
  }
  report.freeBytesAfter = opts.dryRun ? null : freeBytes(ctx.paths.media);
  return report;
}

function deleteRow(db: DB, c: CandidateRow, now: Date, actor?: string): void {
  db.prepare('UPDATE recordings SET evidence_id = NULL WHERE evidence_id = ?').run(c.id);
  detachIfTable(db, 'packet_files', 'evidence_id', c.id);
  detachIfTable(db, 'serial_scans', 'photo_evidence_id', c.id);
  // pinned files never get here: these links belong to cases that are finished for good
  if (tableExists(db, 'case_links')) db.prepare('DELETE FROM case_links WHERE evidence_id = ?').run(c.id);
  db.prepare(
    `INSERT INTO purged_evidence (evidence_id, order_id, kind, mode, path, sha256, bytes, captured_at, purged_at, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'retention')`,
  ).run(c.id, c.order_id, c.kind, c.mode, c.path, c.sha256, c.bytes, c.captured_at, now.toISOString());
  db.prepare('DELETE FROM evidence WHERE id = ?').run(c.id);
  appendAudit(
    db,
    {
      actor: actor ?? 'retention',
      action: 'evidence.deleted',
      entity: 'evidence',
      entityId: c.id,
      details: {
        reason: 'retention',
        orderId: c.order_id,
        orderNo: c.order_no,
        path: c.path,
        sha256: c.sha256,
        bytes: c.bytes,
        capturedAt: c.captured_at,
        mode: c.mode,
      },
    },
    now,
  );
}

const tableCache = new WeakMap<DB, Map<string, boolean>>();
function tableExists(db: DB, name: string): boolean {
  let m = tableCache.get(db);
  if (!m) tableCache.set(db, (m = new Map()));
  if (!m.has(name))
    m.set(name, db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?").get(name) !== undefined);
  return m.get(name)!;
}
function detachIfTable(db: DB, table: string, column: string, id: number) {
  if (tableExists(db, table)) db.prepare(`UPDATE ${table} SET ${column} = NULL WHERE ${column} = ?`).run(id);
}

async function removeFile(ctx: CoreContext, c: CandidateRow, report: RetentionReport): Promise<void> {
  const abs = path.join(ctx.paths.root, c.path);
  try {
    await fsp.rm(abs, { force: true });
  } catch (e) {
    report.fileErrors.push({ path: c.path, message: (e as Error).message });
    return;
  }
  // drop the day/order folders it leaves empty (never the media folder itself)
  let dir = path.dirname(abs);
  while (dir.startsWith(ctx.paths.media + path.sep)) {
    try {
      await fsp.rmdir(dir);
    } catch {
      break; // not empty
    }
    dir = path.dirname(dir);
  }
}

function appealHours(ctx: CoreContext, profileId: string): number | null {
  try {
    return caseProfile(ctx, profileId).deadlines.appealAfterRefundHours;
  } catch {
    return null;
  }
}

function emptyReport(s: StorageSettings, now: Date, dryRun: boolean): RetentionReport {
  return {
    dryRun,
    at: now.toISOString(),
    enabled: s.retentionEnabled,
    days: { ...s.retentionDays },
    cutoff: {
      outbound: new Date(now.getTime() - s.retentionDays.outbound * DAY).toISOString(),
      return: new Date(now.getTime() - s.retentionDays.return * DAY).toISOString(),
    },
    items: [],
    deletedCount: 0,
    deletedBytes: 0,
    pinnedCount: 0,
    skipped: [],
    fileErrors: [],
    freeBytesBefore: null,
    freeBytesAfter: null,
  };
}

const toItem = (c: CandidateRow, now: Date): RetentionItem => ({
  evidenceId: c.id,
  orderId: c.order_id,
  orderNo: c.order_no,
  kind: c.kind,
  mode: c.mode,
  path: c.path,
  bytes: c.bytes,
  capturedAt: c.captured_at,
  ageDays: Math.floor((now.getTime() - Date.parse(c.captured_at)) / DAY),
});
