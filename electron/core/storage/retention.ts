import fsp from 'node:fs/promises';
import path from 'node:path';
import type { RetentionItem, RetentionReport } from '../../../shared/api/calls/storage';
import { HUB_KEEP_DAYS, type StorageSettings } from '../../../shared/domain/settings';
import { appendAudit } from '../audit/audit-log';
import { caseProfile } from '../cases/profiles';
import type { CoreContext } from '../context';
import { sql } from 'kysely';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import type { Id } from '../../../shared/domain/id';
import { freeBytes } from './files';
import { retentionPins } from './retention-pins';

const DAY = 86_400_000;
/** the dry-run view lists this many files; totals always cover all of them */
const MAX_LISTED = 500;

interface CandidateRow {
  id: Id;
  order_id: Id;
  order_no: string;
  kind: 'video' | 'photo';
  mode: 'outbound' | 'return';
  path: string;
  sha256: string;
  bytes: number;
  captured_at: string;
  legacy_id: number | null;
}

/** Rolls the dry run back after it really tried every deletion. */
class DryRunRollback extends Error {}

/**
 * Retention: station footage (videos and photos, recorded, recovered or fixed — never
 * imported documents) older than its mode's limit, of orders no case needs, is deleted.
 *
 * Each deletion is one transaction (in the dry run, one savepoint): the evidence row goes (rows that point at it are
 * detached: recordings, packet file lists, serial scans, case links of finished cases),
 * its record is kept in `purged_evidence`, and the audit log gets the hash the file had.
 * The file is removed only after that commit. Any other table still pointing at the
 * file makes the foreign key refuse the deletion: that file is kept and reported as
 * "in use". The dry run performs exactly the same deletions inside a transaction that
 * is rolled back, so what it shows is what a real run would do.
 */
/**
 * On a station paired with a hub: the evidence whose local copy may go (the hub verified it
 * at least `keepDays` ago). Null when the station has no hub: nothing is held for one.
 */
async function hubHoldsOf(db: Db, now: Date, keepDays: number): Promise<Set<string> | null> {
  const linked = await db.selectFrom('hub_link').select('id').executeTakeFirst();
  if (!linked) return null;
  const before = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('sync_outbox')
    .select('evidence_id')
    .where('state', '=', 'verified')
    .where('verified_at', '<=', before)
    .execute();
  return new Set(rows.map((r) => r.evidence_id));
}

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

  const pins = await retentionPins(db, now, (id) => appealHours(ctx, id));
  const hubHolds = await hubHoldsOf(db, now, settings.hubKeepDays ?? HUB_KEEP_DAYS);
  const candidates = (
    await db
      .selectFrom('evidence as e')
      .innerJoin('orders as o', 'o.id', 'e.order_id')
      .select([
        'e.id',
        'e.order_id',
        'o.order_no',
        'e.kind',
        'e.mode',
        'e.path',
        'e.sha256',
        'e.bytes',
        'e.captured_at',
        'e.legacy_id',
      ])
      .where('e.kind', 'in', ['video', 'photo'])
      .where('e.origin', '!=', 'imported')
      // a hub's mirror of a station's file lives in the hub's store, not in this data folder
      .where('e.location', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('e.mode', '=', 'outbound'), eb('e.captured_at', '<', report.cutoff.outbound)]),
          eb.and([eb('e.mode', '=', 'return'), eb('e.captured_at', '<', report.cutoff.return)]),
        ]),
      )
      .orderBy('e.id', 'desc')
      .execute()
  )
    .map((c) => c as CandidateRow)
    .filter((c) => {
      const pinned = pins.orderIds.has(c.order_id) || pins.evidenceIds.has(c.id);
      if (pinned) report.pinnedCount++;
      const held = !pinned && hubHolds !== null && !hubHolds.has(c.id);
      if (held) report.awaitingHubCount++;
      return !pinned && !held;
    });

  /** one deletion, all or nothing (`atomically`); false: something refers to it */
  const tryDelete = async (c: CandidateRow, atomically: (fn: (trx: Db) => Promise<void>) => Promise<void>) => {
    try {
      await atomically((trx) => deleteRow(trx, c, now, opts.actor));
      return true;
    } catch (e) {
      if (!isForeignKeyViolation(e)) throw e;
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
    // every deletion for real, each in a savepoint, inside one transaction that is then rolled back
    try {
      await inTransaction(db, async (trx) => {
        for (const c of candidates) if (await tryDelete(c, (fn) => inSavepoint(trx, fn))) count(c);
        throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
  } else {
    // one durable commit per file, then its file; awaiting the removal lets a running
    // recording's chunks through between deletions
    for (const c of candidates) {
      if (!(await tryDelete(c, (fn) => inTransaction(db, fn)))) continue;
      count(c);
      await removeFile(ctx, c, report);
    }
  }
  if (!opts.dryRun && report.deletedCount > 0) {
    await appendAudit(db, {
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

/** SQLite: SQLITE_CONSTRAINT_FOREIGNKEY; PostgreSQL: 23503 foreign_key_violation */
const isForeignKeyViolation = (e: unknown) => {
  const err = e as { code?: string; message?: string };
  return err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || err.code === '23503' || /FOREIGN KEY/i.test(err.message ?? '');
};

/**
 * `fn` inside a savepoint of the running transaction: a failure undoes only its own
 * changes (PostgreSQL would otherwise refuse every later statement of the transaction).
 */
async function inSavepoint(trx: Db, fn: (trx: Db) => Promise<void>): Promise<void> {
  await sql`SAVEPOINT retention_one`.execute(trx);
  try {
    await fn(trx);
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT retention_one`.execute(trx);
    await sql`RELEASE SAVEPOINT retention_one`.execute(trx);
    throw e;
  }
  await sql`RELEASE SAVEPOINT retention_one`.execute(trx);
}

async function deleteRow(db: Db, c: CandidateRow, now: Date, actor?: string): Promise<void> {
  await db.updateTable('recordings').set({ evidence_id: null }).where('evidence_id', '=', c.id).execute();
  await db.updateTable('packet_files').set({ evidence_id: null }).where('evidence_id', '=', c.id).execute();
  await db.updateTable('serial_scans').set({ photo_evidence_id: null }).where('photo_evidence_id', '=', c.id).execute();
  // pinned files never get here: these links belong to cases that are finished for good
  await db.deleteFrom('case_links').where('evidence_id', '=', c.id).execute();
  await db
    .insertInto('purged_evidence')
    .values({
      evidence_id: c.id,
      order_id: c.order_id,
      kind: c.kind,
      mode: c.mode,
      path: c.path,
      sha256: c.sha256,
      bytes: c.bytes,
      captured_at: c.captured_at,
      purged_at: now.toISOString(),
      reason: 'retention',
      legacy_id: c.legacy_id,
    })
    .execute();
  await db.deleteFrom('evidence').where('id', '=', c.id).execute();
  await appendAudit(
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

async function appealHours(ctx: CoreContext, profileId: string): Promise<number | null> {
  try {
    return (await caseProfile(ctx, profileId)).deadlines.appealAfterRefundHours;
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
    awaitingHubCount: 0,
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
