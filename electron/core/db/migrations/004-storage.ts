import type { Migration } from '../migrate';
import { STORAGE_TABLES } from './v6-tables';

/**
 * Storage management: what retention removed. The evidence row of a deleted file goes
 * (nothing may point at a file that no longer exists), its record stays here — with the
 * hash the file had — next to the audit entry of the deletion.
 */
export const m004Storage: Migration = {
  version: 4,
  name: 'storage',
  async sqlite({ exec }) {
    await exec(`
      CREATE TABLE purged_evidence (
        evidence_id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        kind TEXT NOT NULL,
        mode TEXT,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        captured_at TEXT NOT NULL,
        purged_at TEXT NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE INDEX purged_evidence_order ON purged_evidence(order_id);
      CREATE INDEX evidence_mode_captured ON evidence(mode, captured_at);
    `);
  },
  async postgres({ exec }) {
    await exec(STORAGE_TABLES);
  },
};
