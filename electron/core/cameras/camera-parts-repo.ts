import type { ProbeFacts } from '../../../shared/rules/facts';
import type { Id } from '../../../shared/domain/id';
import type { Db } from '../db/db';
import { newId } from '../db/ids';

/**
 * The one module that reads and writes `camera_parts` (migration 010): which camera
 * wrote a recording, its place in the take (one scan) and the gap before it.
 */
export interface CameraPart {
  recordingId: string;
  cameraId: string;
  cameraName: string;
  role: 'main' | 'closeup';
  takeId: string;
  partNo: number;
  gapMs: number | null;
  lostAt: string | null;
  /** title card length at the start (and end) of the saved file: its footage starts this late */
  cardMs?: number | null;
}

export async function insertCameraPart(db: Db, p: CameraPart): Promise<void> {
  await db
    .insertInto('camera_parts')
    .values({
      id: newId(),
      recording_id: p.recordingId,
      camera_id: p.cameraId,
      camera_name: p.cameraName,
      role: p.role,
      take_id: p.takeId,
      part_no: p.partNo,
      gap_ms: p.gapMs,
      lost_at: p.lostAt,
      card_ms: p.cardMs ?? null,
      station_id: db.stationId,
    })
    .execute();
}

export interface CameraPartOfOrder extends CameraPart {
  evidenceId: Id | null;
  startedAt: string;
  /** the webcam file of the same scan (the take id is the webcam's recording id), if any */
  takeEvidenceId: Id | null;
}

const PART_COLUMNS = [
  'cp.recording_id',
  'cp.camera_id',
  'cp.camera_name',
  'cp.role',
  'cp.take_id',
  'cp.part_no',
  'cp.gap_ms',
  'cp.lost_at',
  'cp.card_ms',
] as const;

type PartRow = {
  recording_id: string;
  camera_id: string;
  camera_name: string;
  role: 'main' | 'closeup';
  take_id: string;
  part_no: number;
  gap_ms: number | null;
  lost_at: string | null;
  card_ms: number | null;
};

function toPart(r: PartRow): CameraPart {
  return {
    recordingId: r.recording_id,
    cameraId: r.camera_id,
    cameraName: r.camera_name,
    role: r.role,
    takeId: r.take_id,
    partNo: r.part_no,
    gapMs: r.gap_ms,
    lostAt: r.lost_at,
    cardMs: r.card_ms,
  };
}

/** every camera part of an order, by take, camera and part number */
export async function cameraPartsOfOrder(db: Db, orderId: Id): Promise<CameraPartOfOrder[]> {
  const rows = await db
    .selectFrom('camera_parts as cp')
    .innerJoin('recordings as r', 'r.id', 'cp.recording_id')
    .leftJoin('recordings as w', 'w.id', 'cp.take_id')
    .select([...PART_COLUMNS, 'r.evidence_id', 'r.started_at', 'w.evidence_id as take_evidence_id'])
    .where('r.order_id', '=', orderId)
    .orderBy('r.started_at')
    .orderBy('cp.role')
    .orderBy('cp.part_no')
    .execute();
  return rows.map((r) => ({
    ...toPart(r),
    evidenceId: r.evidence_id,
    startedAt: r.started_at,
    takeEvidenceId: r.take_evidence_id,
  }));
}

/** the camera part an evidence file came from (continuity check: the gap before it) */
export async function cameraPartOfEvidence(db: Db, evidenceId: Id): Promise<CameraPart | null> {
  const r = await db
    .selectFrom('camera_parts as cp')
    .innerJoin('recordings as r', 'r.id', 'cp.recording_id')
    .select(PART_COLUMNS)
    .where('r.evidence_id', '=', evidenceId)
    .executeTakeFirst();
  return r ? toPart(r) : null;
}

/** how many parts a take has so far (tests and the station process wait on it) */
export async function countTakeParts(db: Db, takeId: string): Promise<number> {
  const r = await db
    .selectFrom('camera_parts')
    .select((eb) => eb.fn.count<number>('id').as('n'))
    .where('take_id', '=', takeId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** the title card burned into a saved camera part (its length), set when the part is saved */
export async function setCameraPartCard(db: Db, recordingId: string, cardMs: number): Promise<void> {
  await db.updateTable('camera_parts').set({ card_ms: cardMs }).where('recording_id', '=', recordingId).execute();
}

/** the network camera a recording comes from and its order's numbers (title cards), or null */
export async function cameraOfRecording(
  db: Db,
  recordingId: string,
): Promise<{ cameraName: string; orderNo: string; trackingNo: string | null } | null> {
  const r = await db
    .selectFrom('camera_parts as cp')
    .innerJoin('recordings as r', 'r.id', 'cp.recording_id')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .select(['cp.camera_name', 'o.order_no', 'o.tracking_no'])
    .where('cp.recording_id', '=', recordingId)
    .executeTakeFirst();
  return r ? { cameraName: r.camera_name, orderNo: r.order_no, trackingNo: r.tracking_no } : null;
}

/**
 * A part that follows a camera drop starts after a gap in the footage: the continuity
 * check reports it like a gap inside a file (where this part's footage starts: after its
 * title card, with the gap's length).
 */
export function withCameraGap(facts: ProbeFacts, gapMs: number | null, cardMs: number | null = null): ProbeFacts {
  if (!gapMs || !facts.video) return facts;
  const atSec = (cardMs ?? 0) / 1000;
  return { ...facts, video: { ...facts.video, gaps: [{ atSec, gapSec: gapMs / 1000 }, ...facts.video.gaps] } };
}
