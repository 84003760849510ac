import type { Migration } from '../migrate';

/**
 * Cases, packets, coverage and the dashboard across stations (issue 12). The hub keeps
 * each station's verified file as a row of its own `orders` / `evidence` tables, so the
 * same core services run on it over every station:
 * - `evidence.location`: where the hub's store keeps a mirrored file (an absolute path or
 *   s3://bucket/key); NULL for a file in the data folder (every station file);
 * - `hub_evidence` keeps what a packet needs of a file besides its record (origin, type,
 *   picture size, the file a fix was made from); NULL from stations before this version;
 * - `hub_station_records.parent_key`: the evidence a check belongs to, the check a finding
 *   belongs to, so a file's checks are found whichever arrives first (filled here for the
 *   rows already held).
 */
const DDL = `
  ALTER TABLE evidence ADD COLUMN location TEXT;
  ALTER TABLE hub_evidence ADD COLUMN origin TEXT;
  ALTER TABLE hub_evidence ADD COLUMN mime TEXT;
  ALTER TABLE hub_evidence ADD COLUMN width INTEGER;
  ALTER TABLE hub_evidence ADD COLUMN height INTEGER;
  ALTER TABLE hub_evidence ADD COLUMN parent_id TEXT;
  ALTER TABLE hub_station_records ADD COLUMN parent_key TEXT;
  CREATE INDEX hub_station_records_parent ON hub_station_records(station_id, tbl, parent_key);
`;

const backfill = (field: (c: string) => string) => `
  UPDATE hub_station_records SET parent_key = ${field('evidence_id')}
  WHERE tbl = 'evidence_checks' AND data IS NOT NULL;
  UPDATE hub_station_records SET parent_key = ${field('check_id')}
  WHERE tbl = 'check_findings' AND data IS NOT NULL;
`;

export const m027HubMirror: Migration = {
  version: 27,
  name: 'hub-mirror',
  async sqlite({ exec }) {
    await exec(DDL + backfill((c) => `json_extract(data, '$.${c}')`));
  },
  async postgres({ exec }) {
    await exec(DDL + backfill((c) => `(data::json)->>'${c}'`));
  },
};
