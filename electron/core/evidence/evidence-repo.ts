import type { Selectable } from 'kysely';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import type { EvidenceTable } from '../db/schema';
import type { Chapter, Evidence, EvidenceWithOrder, Id } from '../../../shared/domain/types';
import { AppError } from '../../../shared/api/result';

/** An evidence row as read with selectAll (station_id / legacy_id / created_at are not needed by callers). */
export type EvidenceRow = Pick<
  Selectable<EvidenceTable>,
  | 'id'
  | 'order_id'
  | 'kind'
  | 'origin'
  | 'mode'
  | 'path'
  | 'original_name'
  | 'mime'
  | 'sha256'
  | 'bytes'
  | 'duration_ms'
  | 'width'
  | 'height'
  | 'station'
  | 'operator'
  | 'captured_at'
  | 'parent_id'
  | 'check_state'
>;

export type NewEvidence = Omit<Evidence, 'id' | 'checkState' | 'chapters'>;

/** Chapters of every given video evidence in one query (lists never ask once per row). */
async function chaptersOf(db: Db, evidenceIds: Id[]): Promise<Map<Id, Chapter[]>> {
  const byEvidence = new Map<Id, Chapter[]>();
  if (evidenceIds.length === 0) return byEvidence;
  const rows = await db
    .selectFrom('chapters as c')
    .innerJoin('recordings as r', 'r.id', 'c.recording_id')
    .select(['r.evidence_id', 'c.step', 'c.at_ms'])
    .where('r.evidence_id', 'in', evidenceIds)
    .orderBy('c.at_ms')
    .orderBy('c.id')
    .execute();
  for (const r of rows) {
    const list = byEvidence.get(r.evidence_id!) ?? [];
    list.push({ step: r.step, atMs: r.at_ms });
    byEvidence.set(r.evidence_id!, list);
  }
  return byEvidence;
}

const shape = (r: EvidenceRow, chapters: Chapter[]): Evidence => ({
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
  chapters: r.kind === 'video' ? chapters : [],
});

/** Rows as domain evidence, with the chapters of the videos among them, in the rows' order. */
export async function toEvidenceList(db: Db, rows: EvidenceRow[]): Promise<Evidence[]> {
  const videos = rows.filter((r) => r.kind === 'video').map((r) => r.id);
  const chapters = await chaptersOf(db, videos);
  return rows.map((r) => shape(r, chapters.get(r.id) ?? []));
}

export async function toEvidence(db: Db, r: EvidenceRow): Promise<Evidence> {
  const chapters = r.kind === 'video' ? ((await chaptersOf(db, [r.id])).get(r.id) ?? []) : [];
  return shape(r, chapters);
}

/** Inserts the row and returns its new id. Pass the transaction the change belongs to. */
export async function insertEvidence(db: Db, e: NewEvidence, now = new Date()): Promise<Id> {
  const id = newId();
  await db
    .insertInto('evidence')
    .values({
      id,
      order_id: e.orderId,
      kind: e.kind,
      origin: e.origin,
      mode: e.mode,
      path: e.path,
      original_name: e.originalName,
      mime: e.mime,
      sha256: e.sha256,
      bytes: e.bytes,
      duration_ms: e.durationMs,
      width: e.width,
      height: e.height,
      station: e.station,
      operator: e.operator,
      captured_at: e.capturedAt,
      parent_id: e.parentId,
      check_state: 'pending',
      created_at: now.toISOString(),
      station_id: db.stationId,
      legacy_id: null,
    })
    .execute();
  return id;
}

export async function findEvidence(db: Db, id: Id): Promise<Evidence | null> {
  const row = await db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEvidence(db, row) : null;
}

export async function getEvidence(db: Db, id: Id): Promise<Evidence> {
  const found = await findEvidence(db, id);
  if (!found)
    throw new AppError('NOT_FOUND', `Evidence ${id} not found`, { evidenceId: id, problem: 'no-such-evidence' });
  return found;
}

/** The order's first evidence with exactly these bytes (an import of a file it already has). */
export async function findEvidenceByHash(db: Db, orderId: Id, sha256: string): Promise<Evidence | null> {
  const row = await db
    .selectFrom('evidence')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('sha256', '=', sha256)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? toEvidence(db, row) : null;
}

export async function evidenceForOrder(db: Db, orderId: Id): Promise<Evidence[]> {
  const rows = await db
    .selectFrom('evidence')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('captured_at')
    .orderBy('id')
    .execute();
  return toEvidenceList(db, rows);
}

export async function recentEvidence(db: Db, limit: number): Promise<EvidenceWithOrder[]> {
  const rows = await db
    .selectFrom('evidence as e')
    .innerJoin('orders as o', 'o.id', 'e.order_id')
    .selectAll('e')
    .select('o.order_no')
    .orderBy('e.captured_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
  const evidence = await toEvidenceList(db, rows);
  return evidence.map((e, i) => ({ ...e, orderNo: rows[i].order_no }));
}
