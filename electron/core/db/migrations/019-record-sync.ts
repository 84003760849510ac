import type { Migration } from '../migrate';

/**
 * Every station record the hub should hold, not only files (issue 11): orders, recordings,
 * chapters, serial scans, check results, items packed, weights.
 *
 * - `sync_dirty` (on a station): which rows changed since the hub last took them, one row
 *   per (table, key) however often it changed; `gen` counts changes, so a pass removes an
 *   entry only if the row did not change again while it was being sent. Filled by triggers
 *   (no code path can forget one) and only while the station is paired (`hub_link` has a
 *   row): a station that never pairs keeps nothing. Pairing queues every row (join-hub).
 * - `hub_station_records` (on the hub): each station's rows as they stand at the station,
 *   as JSON; `data` NULL: deleted there (a provisional order merged away, say).
 *
 * The table list is written out here, not imported: a shipped migration never changes.
 */
const TABLES = [
  'orders',
  'recordings',
  'chapters',
  'serial_scans',
  'evidence_checks',
  'check_findings',
  'packed_items',
  'order_weights',
];

const TABLES_DDL = `
  CREATE TABLE sync_dirty (
    tbl TEXT NOT NULL,
    row_key TEXT NOT NULL,
    gen INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_key)
  );
  CREATE TABLE hub_station_records (
    station_id TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_key TEXT NOT NULL,
    data TEXT,
    received_at TEXT NOT NULL,
    PRIMARY KEY (station_id, tbl, row_key)
  );
  CREATE INDEX hub_station_records_tbl ON hub_station_records(tbl, station_id);
`;

const MARK = (t: string, row: 'NEW' | 'OLD') =>
  `INSERT INTO sync_dirty (tbl, row_key, gen) VALUES ('${t}', ${row}.id, 1)
   ON CONFLICT (tbl, row_key) DO UPDATE SET gen = sync_dirty.gen + 1;`;

const sqliteTriggers = (t: string) =>
  (
    [
      ['ins', 'INSERT', 'NEW'],
      ['upd', 'UPDATE', 'NEW'],
      ['del', 'DELETE', 'OLD'],
    ] as const
  )
    .map(
      ([suffix, op, row]) => `
  CREATE TRIGGER ${t}_sync_${suffix} AFTER ${op} ON ${t}
    WHEN EXISTS (SELECT 1 FROM hub_link)
    BEGIN ${MARK(t, row)} END;`,
    )
    .join('\n');

const POSTGRES_FUNCTION = `
  CREATE FUNCTION proofpack_mark_synced_row() RETURNS trigger AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM hub_link) THEN
      INSERT INTO sync_dirty (tbl, row_key, gen)
        VALUES (TG_TABLE_NAME, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, 1)
        ON CONFLICT (tbl, row_key) DO UPDATE SET gen = sync_dirty.gen + 1;
    END IF;
    RETURN NULL;
  END $$ LANGUAGE plpgsql;
`;

const postgresTrigger = (t: string) => `
  CREATE TRIGGER ${t}_sync AFTER INSERT OR UPDATE OR DELETE ON ${t}
    FOR EACH ROW EXECUTE FUNCTION proofpack_mark_synced_row();`;

/** a station already paired when it updates sends what it has */
const BACKFILL = TABLES.map(
  (t) => `INSERT INTO sync_dirty (tbl, row_key, gen)
  SELECT '${t}', id, 1 FROM ${t} WHERE EXISTS (SELECT 1 FROM hub_link);`,
).join('\n');

export const m019RecordSync: Migration = {
  version: 19,
  name: 'record-sync',
  async sqlite({ exec }) {
    await exec(TABLES_DDL + TABLES.map(sqliteTriggers).join('\n') + BACKFILL);
  },
  async postgres({ exec }) {
    await exec(TABLES_DDL + POSTGRES_FUNCTION + TABLES.map(postgresTrigger).join('\n') + BACKFILL);
  },
};
