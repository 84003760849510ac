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

/**
 * A return weight outside the tolerance also flags the order, beside a swapped serial: the
 * CHECK on order_flags.flag gains 'weight-mismatch'. SQLite cannot alter a CHECK, so the
 * table is rebuilt (same columns, rows and indexes; nothing references it); PostgreSQL
 * swaps the named constraint.
 */
const FLAGS = `CHECK (flag IN ('swapped-item', 'weight-mismatch'))`;
const SQLITE_FLAGS = `
  CREATE TABLE order_flags_v12 (
    id TEXT NOT NULL PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    flag TEXT NOT NULL ${FLAGS},
    details TEXT NOT NULL,
    created_at TEXT NOT NULL,
    cleared_at TEXT,
    station_id TEXT NOT NULL
  );
  INSERT INTO order_flags_v12 (id, order_id, flag, details, created_at, cleared_at, station_id)
    SELECT id, order_id, flag, details, created_at, cleared_at, station_id FROM order_flags;
  DROP TABLE order_flags;
  ALTER TABLE order_flags_v12 RENAME TO order_flags;
  CREATE INDEX order_flags_order ON order_flags(order_id);
  CREATE INDEX order_flags_created ON order_flags(created_at);
`;
const POSTGRES_FLAGS = `
  ALTER TABLE order_flags DROP CONSTRAINT order_flags_flag_check;
  ALTER TABLE order_flags ADD CONSTRAINT order_flags_flag_check ${FLAGS};
`;

export const m011Weights: Migration = {
  version: 11,
  name: 'weights',
  async sqlite({ exec }) {
    await exec(DDL + SQLITE_FLAGS);
  },
  async postgres({ exec }) {
    await exec(DDL + POSTGRES_FLAGS);
  },
};
