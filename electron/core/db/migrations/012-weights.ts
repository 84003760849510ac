import type { Migration } from '../migrate';

/**
 * Weights from the station's scale, stored with the order at the end of a recording
 * (issue 14): the packed weight (outbound) and the weight on return, which is compared
 * with the packed one at once (`packed_grams`, `result`: a mismatch is flagged like a
 * swapped serial number). Its own table, so nothing else changes; UUIDv7 ids and the
 * station that weighed, like every table since 006. Grams as DOUBLE PRECISION (REAL
 * affinity on SQLite, float8 on PostgreSQL: 0.1 g resolution up to any scale's range).
 */
const DDL = `
  CREATE TABLE order_weights (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    recording_id TEXT REFERENCES recordings(id),
    mode TEXT NOT NULL CHECK (mode IN ('outbound', 'return')),
    grams DOUBLE PRECISION NOT NULL,
    weighed_at TEXT NOT NULL,
    station TEXT NOT NULL,
    operator TEXT NOT NULL,
    packed_grams DOUBLE PRECISION,
    result TEXT CHECK (result IS NULL OR result IN ('match', 'mismatch')),
    station_id TEXT NOT NULL
  );
  CREATE INDEX order_weights_order ON order_weights(order_id, weighed_at);
`;

export const m012Weights: Migration = {
  version: 12,
  name: 'weights',
  async sqlite({ exec }) {
    await exec(DDL);
  },
  async postgres({ exec }) {
    await exec(DDL);
  },
};
