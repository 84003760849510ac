import type { Migration } from '../migrate';

/**
 * Which network camera wrote a recording, and the gaps between the parts of one order's
 * recording when the camera dropped: `gap_ms` is the footage missing before this part
 * (null for the first part); `card_ms` the length of the title card burned before and
 * after the camera's footage in the saved file (null: no card). Its own table, keyed by the recording id, so nothing else
 * in the schema changes; an order's parts are found through `recordings`.
 */
export const m006CameraParts: Migration = {
  version: 6,
  name: 'camera-parts',
  up(db) {
    db.exec(`
      CREATE TABLE camera_parts (
        recording_id TEXT PRIMARY KEY REFERENCES recordings(id),
        camera_id TEXT NOT NULL,
        camera_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('main', 'closeup')),
        take_id TEXT NOT NULL,
        part_no INTEGER NOT NULL CHECK (part_no >= 1),
        gap_ms INTEGER CHECK (gap_ms IS NULL OR gap_ms >= 0),
        lost_at TEXT,
        card_ms INTEGER CHECK (card_ms IS NULL OR card_ms >= 0)
      );
      CREATE INDEX camera_parts_take ON camera_parts(take_id, part_no);
    `);
  },
};
