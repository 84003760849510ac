import { portableMigration } from '../migrate';

/**
 * Packets made for staff on a hub whose processes share PostgreSQL (issue 11, scale-out):
 * - `packets.zip_location`: the packet's zip in the hub's store (an absolute path in a
 *   folder/NAS or s3://bucket/key), so any hub process serves and verifies it; NULL for a
 *   packet on this machine's disk (`zip_path`), as every station's packet is;
 * - `staff_job_owners`: who started which job, so a shop-limited clerk sees and cancels her
 *   own jobs whichever hub process she reaches.
 */
const DDL = `
  ALTER TABLE packets ADD COLUMN zip_location TEXT;
  CREATE INDEX packets_zip_location ON packets(zip_location);
  CREATE TABLE staff_job_owners (
    job_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX staff_job_owners_created ON staff_job_owners(created_at);
`;

export const m029HubPacketStore = portableMigration(29, 'hub-packet-store', DDL);
