import { portableMigration } from '../migrate';

/**
 * The warehouse hub's first tables (issue 11): which stations are paired with a hub, and
 * the one-time codes that pair them. On a station, `hub_link` holds the hub it syncs with.
 *
 * - `hub_stations` (on the hub): one row per station, keyed by the station's own id (the
 *   `station_id` its rows carry), with the SHA-256 of its credential (256 random bits, so a
 *   plain hash is enough; the hub never keeps the credential itself), revocable.
 * - `hub_pairing_codes` (on the hub): short codes that staff read off the hub and type at
 *   a station; only their hash is kept, each works once and expires after 10 minutes.
 * - `hub_link` (on a station): at most one row. The station has to present its credential,
 *   so it is stored as given (like any client secret); the data folder is the station's.
 */
const DDL = `
  CREATE TABLE hub_stations (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    credential_hash TEXT NOT NULL,
    paired_at TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at TEXT
  );
  CREATE UNIQUE INDEX hub_stations_credential ON hub_stations(credential_hash);
  CREATE TABLE hub_pairing_codes (
    code_hash TEXT NOT NULL PRIMARY KEY,
    station_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT
  );
  CREATE TABLE hub_link (
    id TEXT NOT NULL PRIMARY KEY CHECK (id = 'hub'),
    hub_url TEXT NOT NULL,
    hub_id TEXT NOT NULL,
    station_name TEXT NOT NULL,
    credential TEXT NOT NULL,
    paired_at TEXT NOT NULL
  );
`;

export const m013HubPairing = portableMigration(13, 'hub-pairing', DDL);
