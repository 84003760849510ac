import type { DB } from '../db/connection';
import type { Chapter, Evidence, EvidenceWithOrder } from '../../../shared/domain/types';
import { AppError } from '../../../shared/api/result';

export interface EvidenceRow {
  id: number;
  order_id: number;
  kind: Evidence['kind'];
  origin: Evidence['origin'];
  mode: Evidence['mode'];
  path: string;
  original_name: string | null;
  mime: string | null;
  sha256: string;
  bytes: number;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  station: string;
  operator: string;
  captured_at: string;
  parent_id: number | null;
  check_state: Evidence['checkState'];
}

export type NewEvidence = Omit<Evidence, 'id' | 'checkState' | 'chapters'>;

function chaptersFor(db: DB, evidenceId: number): Chapter[] {
  return db
    .prepare(
      `SELECT c.step, c.at_ms AS atMs FROM chapters c JOIN recordings r ON r.id = c.recording_id
       WHERE r.evidence_id = ? ORDER BY c.at_ms, c.id`,
    )
    .all(evidenceId) as Chapter[];
}

export function toEvidence(db: DB, r: EvidenceRow): Evidence {
  return {
    id: r.id,
    orderId: r.order_id,
    kind: r.kind,
    origin: r.origin,
    mode: r.mode,
    path: r.path,
    originalName: r.original_name,
    mime: r.mime,
    sha256: r.sha256,
    bytes: r.bytes,
    durationMs: r.duration_ms,
    width: r.width,
    height: r.height,
    station: r.station,
    operator: r.operator,
    capturedAt: r.captured_at,
    parentId: r.parent_id,
    checkState: r.check_state,
    chapters: r.kind === 'video' ? chaptersFor(db, r.id) : [],
  };
}

export function insertEvidence(db: DB, e: NewEvidence, now = new Date()): number {
  const info = db
    .prepare(
      `INSERT INTO evidence (order_id, kind, origin, mode, path, original_name, mime, sha256, bytes,
         duration_ms, width, height, station, operator, captured_at, parent_id, created_at)
       VALUES (@orderId, @kind, @origin, @mode, @path, @originalName, @mime, @sha256, @bytes,
         @durationMs, @width, @height, @station, @operator, @capturedAt, @parentId, @createdAt)`,
    )
    .run({ ...e, createdAt: now.toISOString() });
  return Number(info.lastInsertRowid);
}

export function getEvidence(db: DB, id: number): Evidence {
  const row = db.prepare('SELECT * FROM evidence WHERE id = ?').get(id) as EvidenceRow | undefined;
  if (!row)
    throw new AppError('NOT_FOUND', `Evidence ${id} not found`, { evidenceId: id, problem: 'no-such-evidence' });
  return toEvidence(db, row);
}

export function evidenceForOrder(db: DB, orderId: number): Evidence[] {
  const rows = db
    .prepare('SELECT * FROM evidence WHERE order_id = ? ORDER BY captured_at, id')
    .all(orderId) as EvidenceRow[];
  return rows.map((r) => toEvidence(db, r));
}

export function recentEvidence(db: DB, limit: number): EvidenceWithOrder[] {
  const rows = db
    .prepare(
      'SELECT e.*, o.order_no FROM evidence e JOIN orders o ON o.id = e.order_id ORDER BY e.captured_at DESC, e.id DESC LIMIT ?',
    )
    .all(limit) as (EvidenceRow & { order_no: string })[];
  return rows.map((r) => ({ ...toEvidence(db, r), orderNo: r.order_no }));
}
