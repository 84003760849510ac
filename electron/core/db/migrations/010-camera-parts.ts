import type { Migration } from '../migrate';

/**
 * Which network camera wrote a recording, and the gaps between the parts of one order's
 * recording when the camera dropped: `gap_ms` is the footage missing before this part
 * (null for the first part); `card_ms` the length of the title card burned before and
 * after the camera's footage in the saved file (null: no card). Its own table, one row per camera recording (`recording_id`
 * unique), so nothing else in the schema changes; an order's parts are found through
 * `recordings`. Ids are UUIDv7 text and rows carry the station that made them, like every
 * table since 006. The same DDL on both engines (times as ISO text, no engine types).
 */
const DDL = `
  CREATE TABLE camera_parts (
    id TEXT NOT NULL PRIMARY KEY,
    recording_id TEXT NOT NULL UNIQUE REFERENCES recordings(id),
    camera_id TEXT NOT NULL,
    camera_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('main', 'closeup')),
    take_id TEXT NOT NULL,
    part_no INTEGER NOT NULL CHECK (part_no >= 1),
    gap_ms INTEGER CHECK (gap_ms IS NULL OR gap_ms >= 0),
    lost_at TEXT,
    card_ms INTEGER CHECK (card_ms IS NULL OR card_ms >= 0),
    station_id TEXT NOT NULL
  );
  CREATE INDEX camera_parts_take ON camera_parts(take_id, part_no);
`;

export const m010CameraParts: Migration = {
  version: 10,
  name: 'camera-parts',
  async sqlite({ exec }) {
    await exec(DDL);
  },
  async postgres({ exec }) {
    await exec(DDL);
  },
};
