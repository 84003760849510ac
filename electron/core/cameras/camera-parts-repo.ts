import type { ProbeFacts } from '../../../shared/rules/facts';
import type { DB } from '../db/connection';

/**
 * The one module that reads and writes `camera_parts` (migration 006): which camera
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

export function insertCameraPart(db: DB, p: CameraPart): void {
  db.prepare(
    `INSERT INTO camera_parts (recording_id, camera_id, camera_name, role, take_id, part_no, gap_ms, lost_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(p.recordingId, p.cameraId, p.cameraName, p.role, p.takeId, p.partNo, p.gapMs, p.lostAt);
}

interface Row {
  recording_id: string;
  camera_id: string;
  camera_name: string;
  role: 'main' | 'closeup';
  take_id: string;
  part_no: number;
  gap_ms: number | null;
  lost_at: string | null;
  card_ms: number | null;
  evidence_id: number | null;
  started_at: string;
  take_evidence_id: number | null;
}

export interface CameraPartOfOrder extends CameraPart {
  evidenceId: number | null;
  startedAt: string;
  /** the webcam file of the same scan (the take id is the webcam's recording id), if any */
  takeEvidenceId: number | null;
}

/** every camera part of an order, by take, camera and part number */
export function cameraPartsOfOrder(db: DB, orderId: number): CameraPartOfOrder[] {
  const rows = db
    .prepare(
      `SELECT cp.*, r.evidence_id, r.started_at, w.evidence_id AS take_evidence_id
       FROM camera_parts cp JOIN recordings r ON r.id = cp.recording_id LEFT JOIN recordings w ON w.id = cp.take_id
       WHERE r.order_id = ? ORDER BY r.started_at, cp.role, cp.part_no`,
    )
    .all(orderId) as Row[];
  return rows.map((r) => ({
    recordingId: r.recording_id,
    cameraId: r.camera_id,
    cameraName: r.camera_name,
    role: r.role,
    takeId: r.take_id,
    partNo: r.part_no,
    gapMs: r.gap_ms,
    lostAt: r.lost_at,
    cardMs: r.card_ms,
    evidenceId: r.evidence_id,
    startedAt: r.started_at,
    takeEvidenceId: r.take_evidence_id,
  }));
}

/** the camera part an evidence file came from (continuity check: the gap before it) */
export function cameraPartOfEvidence(db: DB, evidenceId: number): CameraPart | null {
  const r = db
    .prepare(`SELECT cp.* FROM camera_parts cp JOIN recordings r ON r.id = cp.recording_id WHERE r.evidence_id = ?`)
    .get(evidenceId) as Row | undefined;
  return r
    ? {
        recordingId: r.recording_id,
        cameraId: r.camera_id,
        cameraName: r.camera_name,
        role: r.role,
        takeId: r.take_id,
        partNo: r.part_no,
        gapMs: r.gap_ms,
        lostAt: r.lost_at,
        cardMs: r.card_ms,
      }
    : null;
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
