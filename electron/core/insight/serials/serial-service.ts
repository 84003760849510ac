import { AppError } from '../../../../shared/api/result';
import {
  compareSerial,
  normalizeSerial,
  type SerialProof,
  type SerialScanFact,
} from '../../../../shared/domain/insight/serials';
import type { OrderFlag, SerialScanResult } from '../../../../shared/domain/insight/types';
import { normalizeScan } from '../../../../shared/domain/scan-code';
import type { CaptureMode, Evidence, Id } from '../../../../shared/domain/types';
import { appendAudit } from '../../audit/audit-log';
import type { CoreContext } from '../../context';
import type { Db } from '../../db/db';
import { newId } from '../../db/ids';
import { inTransaction } from '../../db/transaction';

/**
 * Serial numbers scanned at the station while a recording runs. At packing they record
 * which unit left (with the second in the video where the label was scanned); at a
 * return unboxing the returned unit's serial is compared at once with those, and a
 * mismatch flags the order "swapped item" and tells the station loudly.
 */

/** a photo taken this soon after a serial scan of the same order is that serial's label photo */
export const SERIAL_PHOTO_WINDOW_MS = 5 * 60_000;

export class SerialService {
  constructor(private ctx: CoreContext) {}

  async scan(
    input: { recordingId: string; code: string; atMs: number | null },
    now = new Date(),
  ): Promise<SerialScanResult> {
    const db = this.ctx.db;
    const n = normalizeScan(input.code);
    if (!n.ok) throw new AppError('BAD_SCAN', `Unusable code (${n.problem})`, { problem: n.problem });
    const serial = normalizeSerial(n.code);
    const rec = await db
      .selectFrom('recordings as r')
      .innerJoin('orders as o', 'o.id', 'r.order_id')
      .select(['r.id', 'r.order_id', 'r.mode', 'r.station', 'r.operator', 'o.order_no'])
      .where('r.id', '=', input.recordingId)
      .executeTakeFirst();
    if (!rec) throw new AppError('NOT_FOUND', 'No such recording', { problem: 'no-such-recording' });
    const orderNo = rec.order_no;
    const at = now.toISOString();

    return inTransaction(db, async (trx): Promise<SerialScanResult> => {
      let result: SerialScanResult['result'] = null;
      let packedSerials: string[] = [];
      let alsoPackedIn: string[] = [];
      let flagged = false;
      if (rec.mode === 'return') {
        // distinct, in the order they were first scanned
        const packedRows = await trx
          .selectFrom('serial_scans')
          .select('serial')
          .where('order_id', '=', rec.order_id)
          .where('mode', '=', 'outbound')
          .orderBy('id')
          .execute();
        packedSerials = [...new Set(packedRows.map((r) => r.serial))];
        result = compareSerial(packedSerials, serial);
      } else {
        alsoPackedIn = (
          await trx
            .selectFrom('serial_scans as s')
            .innerJoin('orders as o', 'o.id', 's.order_id')
            .select('o.order_no')
            .distinct()
            .where('s.serial', '=', serial)
            .where('s.mode', '=', 'outbound')
            .where('s.order_id', '!=', rec.order_id)
            .execute()
        ).map((r) => r.order_no);
      }
      const id = newId();
      await trx
        .insertInto('serial_scans')
        .values({
          id,
          order_id: rec.order_id,
          recording_id: rec.id,
          mode: rec.mode,
          serial,
          at_ms: input.atMs,
          scanned_at: at,
          station: rec.station,
          operator: rec.operator,
          result,
          photo_evidence_id: null,
          station_id: trx.stationId,
        })
        .execute();
      await appendAudit(
        trx,
        {
          actor: rec.operator,
          action: 'serial.scanned',
          entity: 'order',
          entityId: rec.order_id,
          details: { serialScanId: id, serial, mode: rec.mode, recordingId: rec.id, atMs: input.atMs, result },
        },
        now,
      );
      if (result === 'mismatch') {
        const packing = await trx
          .selectFrom('serial_scans')
          .select(['recording_id as recordingId', 'at_ms as atMs', 'scanned_at as scannedAt'])
          .where('order_id', '=', rec.order_id)
          .where('mode', '=', 'outbound')
          .orderBy('id')
          .execute();
        const details = {
          returnedSerial: serial,
          packedSerials,
          returnRecordingId: rec.id,
          returnAtMs: input.atMs,
          returnScanId: id,
          packing,
          station: rec.station,
          operator: rec.operator,
        };
        const flagId = newId();
        await trx
          .insertInto('order_flags')
          .values({
            id: flagId,
            order_id: rec.order_id,
            flag: 'swapped-item',
            details: JSON.stringify(details),
            created_at: at,
            cleared_at: null,
            station_id: trx.stationId,
          })
          .execute();
        await appendAudit(
          trx,
          {
            actor: rec.operator,
            action: 'order.flagged',
            entity: 'order',
            entityId: rec.order_id,
            details: { flagId, flag: 'swapped-item', ...details },
          },
          now,
        );
        flagged = true;
      }
      return {
        id,
        orderId: rec.order_id,
        orderNo,
        serial,
        mode: rec.mode,
        atMs: input.atMs,
        result,
        packedSerials,
        alsoPackedIn,
        flagged,
      };
    });
  }

  /** The station's label photo after a serial scan is linked to that scan (one key, no extra step). */
  async linkPhoto(e: Evidence): Promise<Id | null> {
    if (e.kind !== 'photo') return null;
    const captured = new Date(e.capturedAt).getTime();
    return inTransaction(this.ctx.db, async (trx) => {
      const scan = await trx
        .selectFrom('serial_scans')
        .select('id')
        .where('order_id', '=', e.orderId)
        .where('photo_evidence_id', 'is', null)
        .where('scanned_at', '>=', new Date(captured - SERIAL_PHOTO_WINDOW_MS).toISOString())
        .where('scanned_at', '<=', new Date(captured + 5000).toISOString())
        .orderBy('scanned_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!scan) return null;
      await trx.updateTable('serial_scans').set({ photo_evidence_id: e.id }).where('id', '=', scan.id).execute();
      await appendAudit(trx, {
        actor: e.operator,
        action: 'serial.photo',
        entity: 'order',
        entityId: e.orderId,
        details: { serialScanId: scan.id, evidenceId: e.id, sha256: e.sha256 },
      });
      return scan.id;
    });
  }

  async flags(orderId: Id | null, openOnly: boolean): Promise<OrderFlag[]> {
    let q = this.ctx.db
      .selectFrom('order_flags as g')
      .innerJoin('orders as o', 'o.id', 'g.order_id')
      .selectAll('g')
      .select('o.order_no');
    if (orderId != null) q = q.where('g.order_id', '=', orderId);
    if (openOnly) q = q.where('g.cleared_at', 'is', null);
    const rows = await q.orderBy('g.created_at', 'desc').limit(500).execute();
    return rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      orderNo: r.order_no,
      flag: r.flag,
      details: JSON.parse(r.details) as Record<string, unknown>,
      createdAt: r.created_at,
      clearedAt: r.cleared_at,
    }));
  }

  async clearFlag(input: { flagId: Id; note: string }, now = new Date()): Promise<OrderFlag> {
    const actor = this.ctx.settings.get().operator;
    await inTransaction(this.ctx.db, async (trx) => {
      const f = await trx
        .selectFrom('order_flags')
        .select(['order_id', 'cleared_at'])
        .where('id', '=', input.flagId)
        .executeTakeFirst();
      if (!f) throw new AppError('NOT_FOUND', 'No such flag', { problem: 'no-such-flag' });
      if (f.cleared_at) return;
      await trx
        .updateTable('order_flags')
        .set({ cleared_at: now.toISOString() })
        .where('id', '=', input.flagId)
        .execute();
      await appendAudit(
        trx,
        {
          actor,
          action: 'order.flagCleared',
          entity: 'order',
          entityId: f.order_id,
          details: { flagId: input.flagId, note: input.note },
        },
        now,
      );
    });
    return (await this.flags(null, false)).find((f) => f.id === input.flagId)!;
  }
}

/**
 * The serial facts of an order for a case (issue 4's cases call this): both sides'
 * scans with their video times, the packing clip and the return clip. The statement
 * text comes from `serialStatementLines` (shared/domain/insight/serials.ts).
 */
export async function serialProofForOrder(db: Db, orderId: Id): Promise<SerialProof> {
  const rows = await db
    .selectFrom('serial_scans as s')
    .leftJoin('recordings as r', 'r.id', 's.recording_id')
    .select([
      's.serial',
      's.at_ms',
      's.scanned_at',
      's.station',
      's.operator',
      's.mode',
      's.result',
      's.photo_evidence_id',
      'r.evidence_id',
    ])
    .where('s.order_id', '=', orderId)
    .orderBy('s.scanned_at')
    .orderBy('s.id')
    .execute();
  const fact = (r: (typeof rows)[number]): SerialScanFact => ({
    serial: r.serial,
    atMs: r.at_ms,
    scannedAt: r.scanned_at,
    station: r.station,
    operator: r.operator,
    evidenceId: r.evidence_id,
    photoEvidenceId: r.photo_evidence_id,
  });
  const packed = rows.filter((r) => r.mode === 'outbound').map(fact);
  const returnedRows = rows.filter((r) => r.mode === 'return');
  const returned = returnedRows.map(fact);
  const latestVideo = async (mode: CaptureMode) =>
    (
      await db
        .selectFrom('evidence')
        .select('id')
        .where('order_id', '=', orderId)
        .where('kind', '=', 'video')
        .where('mode', '=', mode)
        .orderBy('captured_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.id ?? null;
  return {
    orderId,
    packed,
    returned,
    result: returnedRows.length ? returnedRows[returnedRows.length - 1].result : null,
    packingClipId: packed.find((p) => p.evidenceId != null)?.evidenceId ?? (await latestVideo('outbound')),
    returnClipId: returned.find((p) => p.evidenceId != null)?.evidenceId ?? (await latestVideo('return')),
  };
}
