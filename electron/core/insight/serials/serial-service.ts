import { AppError } from '../../../../shared/api/result';
import {
  compareSerial,
  normalizeSerial,
  type SerialProof,
  type SerialScanFact,
} from '../../../../shared/domain/insight/serials';
import type { OrderFlag, SerialScanResult } from '../../../../shared/domain/insight/types';
import { normalizeScan } from '../../../../shared/domain/scan-code';
import type { CaptureMode, Evidence } from '../../../../shared/domain/types';
import { appendAudit } from '../../audit/audit-log';
import type { CoreContext } from '../../context';
import type { DB } from '../../db/connection';

/**
 * Serial numbers scanned at the station while a recording runs. At packing they record
 * which unit left (with the second in the video where the label was scanned); at a
 * return unboxing the returned unit's serial is compared at once with those, and a
 * mismatch flags the order "swapped item" and tells the station loudly.
 */
interface RecordingRow {
  id: string;
  order_id: number;
  mode: CaptureMode;
  station: string;
  operator: string;
  evidence_id: number | null;
}

/** a photo taken this soon after a serial scan of the same order is that serial's label photo */
export const SERIAL_PHOTO_WINDOW_MS = 5 * 60_000;

export class SerialService {
  constructor(private ctx: CoreContext) {}

  scan(input: { recordingId: string; code: string; atMs: number | null }, now = new Date()): SerialScanResult {
    const db = this.ctx.db;
    const n = normalizeScan(input.code);
    if (!n.ok) throw new AppError('BAD_SCAN', `Unusable code (${n.problem})`, { problem: n.problem });
    const serial = normalizeSerial(n.code);
    const rec = db
      .prepare('SELECT id, order_id, mode, station, operator, evidence_id FROM recordings WHERE id = ?')
      .get(input.recordingId) as RecordingRow | undefined;
    if (!rec) throw new AppError('NOT_FOUND', 'No such recording', { problem: 'no-such-recording' });
    const orderNo = db.prepare('SELECT order_no FROM orders WHERE id = ?').pluck().get(rec.order_id) as string;
    const at = now.toISOString();

    return db.transaction((): SerialScanResult => {
      let result: SerialScanResult['result'] = null;
      let packedSerials: string[] = [];
      let alsoPackedIn: string[] = [];
      let flagged = false;
      if (rec.mode === 'return') {
        packedSerials = db
          .prepare(`SELECT DISTINCT serial FROM serial_scans WHERE order_id = ? AND mode = 'outbound' ORDER BY id`)
          .pluck()
          .all(rec.order_id) as string[];
        result = compareSerial(packedSerials, serial);
      } else {
        alsoPackedIn = db
          .prepare(
            `SELECT DISTINCT o.order_no FROM serial_scans s JOIN orders o ON o.id = s.order_id WHERE s.serial = ? AND s.mode = 'outbound' AND s.order_id != ?`,
          )
          .pluck()
          .all(serial, rec.order_id) as string[];
      }
      const id = Number(
        db
          .prepare(
            `INSERT INTO serial_scans (order_id, recording_id, mode, serial, at_ms, scanned_at, station, operator, result)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(rec.order_id, rec.id, rec.mode, serial, input.atMs, at, rec.station, rec.operator, result)
          .lastInsertRowid,
      );
      appendAudit(
        db,
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
        const packing = db
          .prepare(
            `SELECT recording_id AS recordingId, at_ms AS atMs, scanned_at AS scannedAt FROM serial_scans WHERE order_id = ? AND mode = 'outbound' ORDER BY id`,
          )
          .all(rec.order_id);
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
        const flagId = Number(
          db
            .prepare(`INSERT INTO order_flags (order_id, flag, details, created_at) VALUES (?, 'swapped-item', ?, ?)`)
            .run(rec.order_id, JSON.stringify(details), at).lastInsertRowid,
        );
        appendAudit(
          db,
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
    })();
  }

  /** The station's label photo after a serial scan is linked to that scan (one key, no extra step). */
  linkPhoto(e: Evidence): number | null {
    if (e.kind !== 'photo') return null;
    const db = this.ctx.db;
    const since = new Date(new Date(e.capturedAt).getTime() - SERIAL_PHOTO_WINDOW_MS).toISOString();
    const scan = db
      .prepare(
        `SELECT id FROM serial_scans WHERE order_id = ? AND photo_evidence_id IS NULL AND scanned_at >= ? AND scanned_at <= ?
         ORDER BY scanned_at DESC LIMIT 1`,
      )
      .pluck()
      .get(e.orderId, since, new Date(new Date(e.capturedAt).getTime() + 5000).toISOString()) as number | undefined;
    if (scan == null) return null;
    db.transaction(() => {
      db.prepare('UPDATE serial_scans SET photo_evidence_id = ? WHERE id = ?').run(e.id, scan);
      appendAudit(db, {
        actor: e.operator,
        action: 'serial.photo',
        entity: 'order',
        entityId: e.orderId,
        details: { serialScanId: scan, evidenceId: e.id, sha256: e.sha256 },
      });
    })();
    return scan;
  }

  flags(orderId: number | null, openOnly: boolean): OrderFlag[] {
    const rows = this.ctx.db
      .prepare(
        `SELECT g.*, o.order_no FROM order_flags g JOIN orders o ON o.id = g.order_id
         WHERE (@orderId IS NULL OR g.order_id = @orderId) AND (@open = 0 OR g.cleared_at IS NULL)
         ORDER BY g.created_at DESC LIMIT 500`,
      )
      .all({ orderId, open: openOnly ? 1 : 0 }) as {
      id: number;
      order_id: number;
      order_no: string;
      flag: 'swapped-item';
      details: string;
      created_at: string;
      cleared_at: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      orderNo: r.order_no,
      flag: r.flag,
      details: JSON.parse(r.details),
      createdAt: r.created_at,
      clearedAt: r.cleared_at,
    }));
  }

  clearFlag(input: { flagId: number; note: string }, now = new Date()): OrderFlag {
    const db = this.ctx.db;
    const actor = this.ctx.settings.get().operator;
    db.transaction(() => {
      const f = db.prepare('SELECT order_id, cleared_at FROM order_flags WHERE id = ?').get(input.flagId) as
        { order_id: number; cleared_at: string | null } | undefined;
      if (!f) throw new AppError('NOT_FOUND', 'No such flag', { problem: 'no-such-flag' });
      if (f.cleared_at) return;
      db.prepare('UPDATE order_flags SET cleared_at = ? WHERE id = ?').run(now.toISOString(), input.flagId);
      appendAudit(
        db,
        {
          actor,
          action: 'order.flagCleared',
          entity: 'order',
          entityId: f.order_id,
          details: { flagId: input.flagId, note: input.note },
        },
        now,
      );
    })();
    return this.flags(null, false).find((f) => f.id === input.flagId)!;
  }
}

/**
 * The serial facts of an order for a case (issue 4's cases call this): both sides'
 * scans with their video times, the packing clip and the return clip. The statement
 * text comes from `serialStatementLines` (shared/domain/insight/serials.ts).
 */
export function serialProofForOrder(db: DB, orderId: number): SerialProof {
  const rows = db
    .prepare(
      `SELECT s.serial, s.at_ms, s.scanned_at, s.station, s.operator, s.mode, s.result, s.photo_evidence_id, r.evidence_id
       FROM serial_scans s LEFT JOIN recordings r ON r.id = s.recording_id
       WHERE s.order_id = ? ORDER BY s.scanned_at, s.id`,
    )
    .all(orderId) as {
    serial: string;
    at_ms: number | null;
    scanned_at: string;
    station: string;
    operator: string;
    mode: CaptureMode;
    result: SerialProof['result'];
    photo_evidence_id: number | null;
    evidence_id: number | null;
  }[];
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
  const latestVideo = (mode: CaptureMode) =>
    (db
      .prepare(
        `SELECT id FROM evidence WHERE order_id = ? AND kind = 'video' AND mode = ? ORDER BY captured_at DESC LIMIT 1`,
      )
      .pluck()
      .get(orderId, mode) as number | undefined) ?? null;
  return {
    orderId,
    packed,
    returned,
    result: returnedRows.length ? returnedRows[returnedRows.length - 1].result : null,
    packingClipId: packed.find((p) => p.evidenceId != null)?.evidenceId ?? latestVideo('outbound'),
    returnClipId: returned.find((p) => p.evidenceId != null)?.evidenceId ?? latestVideo('return'),
  };
}
