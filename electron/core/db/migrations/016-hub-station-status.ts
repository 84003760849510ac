import { portableMigration } from '../migrate';

/**
 * Status both ways between stations and their hub (issue 11).
 *
 * - `hub_stations` (on the hub) gets each station's last report: when it was made, files
 *   and bytes still waiting, files that failed, the last error in the station's words, the
 *   station's free disk, its app version, and how far the station's clock is from the
 *   hub's (station − hub, ms; evidence times come from the station's clock, so staff must
 *   see a station hours off before a dispute does).
 * - `hub_link` (on a station) gets when the hub last answered, the clock difference the hub
 *   measured, and why the last report failed (with nothing queued, the outbox holds no error
 *   to show), so the station can say "hub reached 2 min ago", "unreachable" and "clock off".
 */
const DDL = `
  ALTER TABLE hub_stations ADD COLUMN status_at TEXT;
  ALTER TABLE hub_stations ADD COLUMN queued INTEGER;
  ALTER TABLE hub_stations ADD COLUMN queued_bytes BIGINT;
  ALTER TABLE hub_stations ADD COLUMN failed INTEGER;
  ALTER TABLE hub_stations ADD COLUMN last_error TEXT;
  ALTER TABLE hub_stations ADD COLUMN free_bytes BIGINT;
  ALTER TABLE hub_stations ADD COLUMN clock_skew_ms BIGINT;
  ALTER TABLE hub_stations ADD COLUMN app_version TEXT;
  ALTER TABLE hub_link ADD COLUMN last_contact_at TEXT;
  ALTER TABLE hub_link ADD COLUMN clock_skew_ms BIGINT;
  ALTER TABLE hub_link ADD COLUMN last_error TEXT;
`;

export const m016HubStationStatus = portableMigration(16, 'hub-station-status', DDL);
