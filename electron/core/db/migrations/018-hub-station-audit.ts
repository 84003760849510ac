import { portableMigration } from '../migrate';

/**
 * Each station's audit chain on its hub (issue 11).
 *
 * - `hub_station_audit` (on the hub): every station's audit entries exactly as the station
 *   wrote them (its seq, hashes and all), so `audit verify` on the hub walks each station's
 *   chain as the station would, apart from the hub's own `audit_log`.
 * - `hub_link.audit_sent_seq` (on a station): the last entry the hub has confirmed; the
 *   next pass sends from the one after.
 */
const DDL = `
  CREATE TABLE hub_station_audit (
    station_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (station_id, seq)
  );
  ALTER TABLE hub_link ADD COLUMN audit_sent_seq INTEGER;
`;

export const m018HubStationAudit = portableMigration(18, 'hub-station-audit', DDL);
