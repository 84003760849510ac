import { newId } from '../../electron/core/db/ids';
import type { Db } from '../../electron/core/db/db';

/**
 * A finished recording at a station that became `evidenceId`, with the marks its packer set
 * (as the recording service writes them), for tests of what the hub does with them.
 */
export async function addRecordingMarks(
  db: Db,
  opts: { orderId: string; orderNo: string; evidenceId: string; at: Date; marks: { step: string; atMs: number }[] },
): Promise<{ recordingId: string; chapterIds: string[] }> {
  const recordingId = newId();
  await db
    .insertInto('recordings')
    .values({
      id: recordingId,
      station_id: db.stationId,
      order_id: opts.orderId,
      scan_code: opts.orderNo,
      mode: 'return',
      mime: 'video/mp4',
      part_path: `media/incoming/${recordingId}.part`,
      station: 'test',
      operator: 'test',
      started_at: opts.at.toISOString(),
      status: 'finalized',
      evidence_id: opts.evidenceId,
      error: null,
    })
    .execute();
  const chapterIds = opts.marks.map(() => newId());
  if (opts.marks.length)
    await db
      .insertInto('chapters')
      .values(
        opts.marks.map((m, i) => ({
          id: chapterIds[i]!,
          station_id: db.stationId,
          recording_id: recordingId,
          step: m.step,
          at_ms: m.atMs,
        })),
      )
      .execute();
  return { recordingId, chapterIds };
}
