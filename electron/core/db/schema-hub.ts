/** The hub's tables and the station's link to its hub (migration 013, issue 11). */
export interface HubStationsTable {
  /** the station's own id: the `station_id` every row it makes carries */
  id: string;
  name: string;
  credential_hash: string;
  paired_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export interface HubPairingCodesTable {
  code_hash: string;
  station_name: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** the station id that redeemed it */
  used_by: string | null;
}

export interface HubLinkTable {
  id: 'hub';
  hub_url: string;
  hub_id: string;
  station_name: string;
  credential: string;
  paired_at: string;
}

export interface HubTables {
  hub_stations: HubStationsTable;
  hub_pairing_codes: HubPairingCodesTable;
  hub_link: HubLinkTable;
}
