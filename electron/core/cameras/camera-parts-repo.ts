import type { ProbeFacts } from '../../../shared/rules/facts';
import type { Id } from '../../../shared/domain/id';
import type { Db } from '../db/db';
import { newId } from '../db/ids';

/**
 * The one module that reads and writes `camera_parts` (migration 008): which camera
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

/**
 * A part that follows a camera drop starts after a gap in the footage: the continuity
 * check reports it like a gap inside a file (at 0 s of this part, with its length).
 */
export function withCameraGap(facts: ProbeFacts, gapMs: number | null): ProbeFacts {
  if (!gapMs || !facts.video) return facts;
  return { ...facts, video: { ...facts.video, gaps: [{ atSec: 0, gapSec: gapMs / 1000 }, ...facts.video.gaps] } };
}
