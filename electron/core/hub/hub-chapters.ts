import type { Chapter } from '../../../shared/domain/types';
import type { StationRecord } from '../../../shared/hub/records';
import type { Db } from '../db/db';

interface StationRecordingRow {
  evidence_id?: string | null;
}
interface StationChapterRow {
  recording_id: string;
  step: string;
  at_ms: number;
}

/**
 * Keeps `hub_recordings` and `hub_chapters` in step with a station's rows as they arrive
 * (inside the transaction that stores them): a row replaces the hub's copy, a deleted one
 * (null) goes. Recordings are kept only for the evidence file each became.
 */
export async function projectStationChapters(trx: Db, stationId: string, records: StationRecord[]): Promise<void> {
  const recordings = records.filter((r) => r.table === 'recordings');
  const chapters = records.filter((r) => r.table === 'chapters');
  const goneRecordings = recordings.filter((r) => r.row === null).map((r) => r.key);
  if (goneRecordings.length)
    await trx
      .deleteFrom('hub_recordings')
      .where('station_id', '=', stationId)
      .where('recording_id', 'in', goneRecordings)
      .execute();
  const liveRecordings = recordings.filter((r) => r.row !== null);
  if (liveRecordings.length)
    await trx
      .insertInto('hub_recordings')
      .values(
        liveRecordings.map((r) => ({
          station_id: stationId,
          recording_id: r.key,
          evidence_id: (r.row as StationRecordingRow).evidence_id ?? null,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['station_id', 'recording_id'])
          .doUpdateSet((eb) => ({ evidence_id: eb.ref('excluded.evidence_id') })),
      )
      .execute();
  const goneChapters = chapters.filter((r) => r.row === null).map((r) => r.key);
  if (goneChapters.length)
    await trx
      .deleteFrom('hub_chapters')
      .where('station_id', '=', stationId)
      .where('chapter_id', 'in', goneChapters)
      .execute();
  // a row that is not a mark (another version's shape) is not projected: it must not stop the sync
  const liveChapters = chapters.filter((r) => {
    const c = r.row as Partial<StationChapterRow> | null;
    return !!c && typeof c.recording_id === 'string' && typeof c.step === 'string' && c.at_ms != null;
  });
  if (liveChapters.length)
    await trx
      .insertInto('hub_chapters')
      .values(
        liveChapters.map((r) => {
          const c = r.row as unknown as StationChapterRow;
          return {
            station_id: stationId,
            chapter_id: r.key,
            recording_id: c.recording_id,
            step: c.step,
            at_ms: Math.max(0, Math.round(Number(c.at_ms) || 0)),
          };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['station_id', 'chapter_id']).doUpdateSet((eb) => ({
          recording_id: eb.ref('excluded.recording_id'),
          step: eb.ref('excluded.step'),
          at_ms: eb.ref('excluded.at_ms'),
        })),
      )
      .execute();
}

/** The chapters of the given files (one station's evidence ids each), in one query; key `station/evidence`. */
export async function chaptersOfFiles(
  db: Db,
  files: readonly { stationId: string; evidenceId: string }[],
): Promise<Map<string, Chapter[]>> {
  const out = new Map<string, Chapter[]>();
  if (!files.length) return out;
  const rows = await db
    .selectFrom('hub_chapters as c')
    .innerJoin('hub_recordings as r', (j) =>
      j.onRef('r.station_id', '=', 'c.station_id').onRef('r.recording_id', '=', 'c.recording_id'),
    )
    .select(['r.station_id', 'r.evidence_id', 'c.step', 'c.at_ms'])
    .where((eb) =>
      eb.or(files.map((f) => eb.and([eb('r.station_id', '=', f.stationId), eb('r.evidence_id', '=', f.evidenceId)]))),
    )
    .orderBy('c.at_ms')
    .orderBy('c.chapter_id')
    .execute();
  for (const r of rows) {
    const key = `${r.station_id}/${r.evidence_id}`;
    const list = out.get(key) ?? [];
    list.push({ step: r.step, atMs: Number(r.at_ms) });
    out.set(key, list);
  }
  return out;
}
