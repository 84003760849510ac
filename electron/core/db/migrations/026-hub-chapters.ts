import type { Migration } from '../migrate';

/**
 * The marks a station set in its recordings (chapters: "sealed parcel shown", "label",
 * "item", …) as indexed rows on the hub, so playback across stations can jump to them
 * (issue 12). A chapter names its recording, and a recording the evidence file it became:
 * both are kept, filled here from the station rows the hub already holds and then in step
 * by receiveStationRecords. A row without what a mark needs is left out, as there.
 */
const DDL = `
  CREATE TABLE hub_recordings (
    station_id TEXT NOT NULL,
    recording_id TEXT NOT NULL,
    evidence_id TEXT,
    PRIMARY KEY (station_id, recording_id)
  );
  CREATE INDEX hub_recordings_evidence ON hub_recordings(station_id, evidence_id);
  CREATE TABLE hub_chapters (
    station_id TEXT NOT NULL,
    chapter_id TEXT NOT NULL,
    recording_id TEXT NOT NULL,
    step TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (station_id, chapter_id)
  );
  CREATE INDEX hub_chapters_recording ON hub_chapters(station_id, recording_id);
`;

const backfill = (field: (c: string) => string, int: (e: string) => string) => `
  INSERT INTO hub_recordings (station_id, recording_id, evidence_id)
  SELECT station_id, row_key, ${field('evidence_id')}
  FROM hub_station_records WHERE tbl = 'recordings' AND data IS NOT NULL;
  INSERT INTO hub_chapters (station_id, chapter_id, recording_id, step, at_ms)
  SELECT station_id, row_key, ${field('recording_id')}, ${field('step')}, ${int(field('at_ms'))}
  FROM hub_station_records WHERE tbl = 'chapters' AND data IS NOT NULL
    AND ${field('recording_id')} IS NOT NULL AND ${field('step')} IS NOT NULL AND ${field('at_ms')} IS NOT NULL;
`;

export const m026HubChapters: Migration = {
  version: 26,
  name: 'hub-chapters',
  async sqlite({ exec }) {
    await exec(
      DDL.replace('at_ms BIGINT', 'at_ms INTEGER') +
        backfill(
          (c) => `json_extract(data, '$.${c}')`,
          (e) => e,
        ),
    );
  },
  async postgres({ exec }) {
    await exec(
      DDL +
        backfill(
          (c) => `(data::json)->>'${c}'`,
          (e) => `(${e})::bigint`,
        ),
    );
  },
};
