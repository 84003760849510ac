import type { Migration } from '../migrate';
import { CASES_TABLES } from './v6-tables';

/**
 * Appeal cases, the evidence staff linked to (or took off) their checklist items, and
 * exported packets with their files.
 *
 * `due_at` is the earliest deadline still governing an open case (NULL once submitted or
 * closed, or when no times are known); the case list is sorted by it through the partial
 * index `cases_due`, so the list stays fast with a very large number of closed cases.
 */
export const m003Cases: Migration = {
  version: 3,
  name: 'cases',
  async sqlite({ exec }) {
    await exec(`
      CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders(id),
        profile_id TEXT NOT NULL,
        profile_version TEXT NOT NULL,
        appeal_type TEXT NOT NULL CHECK (appeal_type IN ('responsibility','goods','shipping','fast-refund')),
        scenario TEXT NOT NULL CHECK (scenario IN ('damaged','swapped','empty-parcel','activated','account-locked',
          'wrong-item','missing-part','shipping-fee','logistics-exception','other')),
        status TEXT NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft','ready','exported','submitted','won','lost')),
        sign_for_at TEXT,
        refund_at TEXT,
        proof_before_refusal INTEGER NOT NULL DEFAULT 0,
        fast_refund INTEGER,
        free_shipping INTEGER,
        freight_kind TEXT CHECK (freight_kind IN ('refunded','outbound','bulky-return')),
        amount_claimed_cents INTEGER CHECK (amount_claimed_cents > 0),
        order_amount_cents INTEGER CHECK (order_amount_cents >= 0),
        amount_recovered_cents INTEGER CHECK (amount_recovered_cents >= 0),
        evidence_due_at TEXT,
        appeal_due_at TEXT,
        due_at TEXT,
        statement TEXT NOT NULL DEFAULT '',
        statement_edited INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT '',
        created_by TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX cases_due ON cases(due_at, id) WHERE due_at IS NOT NULL;
      -- the rest of the list (submitted, decided, or no times known) by last change
      CREATE INDEX cases_undated ON cases(updated_at, id) WHERE due_at IS NULL;
      CREATE INDEX cases_status ON cases(status);
      CREATE INDEX cases_order ON cases(order_id);

      -- manual links (excluded = 0) and auto matches staff took off an item (excluded = 1)
      CREATE TABLE case_links (
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        requirement TEXT NOT NULL,
        evidence_id INTEGER NOT NULL REFERENCES evidence(id),
        excluded INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        PRIMARY KEY (case_id, requirement, evidence_id)
      );
      CREATE INDEX case_links_evidence ON case_links(evidence_id);

      CREATE TABLE packets (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        name TEXT NOT NULL,
        dir_path TEXT NOT NULL,
        zip_path TEXT,
        -- SHA-256 over everything the packet was built from: same inputs, same packet
        fingerprint TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        file_count INTEGER NOT NULL,
        total_bytes INTEGER NOT NULL,
        language TEXT NOT NULL,
        created_at TEXT NOT NULL,
        verified_at TEXT,
        verify_ok INTEGER
      );
      CREATE INDEX packets_case ON packets(case_id, id);

      CREATE TABLE packet_files (
        packet_id INTEGER NOT NULL REFERENCES packets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        requirement TEXT,
        evidence_id INTEGER REFERENCES evidence(id),
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        duration_ms INTEGER,
        PRIMARY KEY (packet_id, name)
      );
    `);
  },
  async postgres({ exec }) {
    await exec(CASES_TABLES);
  },
};
