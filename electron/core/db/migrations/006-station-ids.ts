import type { Migration } from '../migrate';
import { rebuildWithStationIds } from '../sqlite/rebuild-v6';

/**
 * Ids that are unique across stations: every row a station creates gets a UUIDv7 text id
 * and the id of the station that made it (`station_id`); rows that had an integer id
 * keep it as `legacy_id` (audit entries written before this name those), and the audit
 * log's old id becomes `seq`, its place in the hash chain.
 *
 * SQLite: every table is rebuilt, all rows and references kept, each old id mapped to a
 * UUIDv7 made from the row's own time so the ids sort as before (sqlite/rebuild-v6.ts).
 * PostgreSQL: nothing to do, 001–005 made these tables there already (v6-tables.ts).
 */
export const m006StationIds: Migration = {
  version: 6,
  name: 'station-ids',
  async sqlite({ sqlite, trx }) {
    if (!sqlite) throw new Error('migration 006 needs the SQLite handle');
    rebuildWithStationIds(sqlite, trx.stationId);
  },
  async postgres() {
    /* the tables were created in their version-6 shape */
  },
};
