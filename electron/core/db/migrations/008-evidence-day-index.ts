import type { Migration } from '../migrate';

/**
 * PostgreSQL: the index on evidence(captured_at) becomes a covering one that also holds
 * the columns the daily coverage and compliance views count by (kind, check state,
 * origin, station, operator, id). Those views read every file of a day — ~100 k rows a
 * day on a busy hub — and with the plain index each row was a heap page fetched at random
 * (~111 k pages for one day at 10 M rows); from the covering index it is an index-only
 * scan of a few thousand pages (found by `npm run bench`, db-engines).
 * SQLite: nothing. A station's day is a few thousand rows, and the wider index would
 * only slow every insert on the station.
 */
export const m008EvidenceDayIndex: Migration = {
  version: 8,
  name: 'evidence-day-covering-index',
  async sqlite() {},
  async postgres({ exec }) {
    await exec(`
      CREATE INDEX evidence_captured_cover ON evidence (captured_at)
        INCLUDE (kind, check_state, origin, station, operator, id);
      DROP INDEX evidence_captured;
    `);
  },
};
