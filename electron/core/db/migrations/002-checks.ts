import type { Migration } from '../migrate';
import { CHECKS_TABLES } from './v6-tables';

/**
 * Evidence checks: the latest result per evidence file and profile (state, the probe
 * facts as JSON, and one row per finding so dashboards can count codes), staff-edited
 * rule profiles, and how each fixed file relates to the file it was made from.
 */
export const m002Checks: Migration = {
  version: 2,
  name: 'checks',
  async sqlite({ exec }) {
    await exec(`
      CREATE TABLE evidence_checks (
        id INTEGER PRIMARY KEY,
        evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        profile_id TEXT NOT NULL,
        profile_version INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('ok','warn','block')),
        facts TEXT NOT NULL,
        expected_code TEXT,
        checked_at TEXT NOT NULL,
        took_ms INTEGER NOT NULL
      );
      CREATE INDEX evidence_checks_evidence ON evidence_checks(evidence_id, id);

      CREATE TABLE check_findings (
        id INTEGER PRIMARY KEY,
        check_id INTEGER NOT NULL REFERENCES evidence_checks(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('block','warn','info')),
        fix TEXT,
        params TEXT NOT NULL
      );
      CREATE INDEX check_findings_check ON check_findings(check_id);
      CREATE INDEX check_findings_code ON check_findings(code);

      -- staff-made profiles, and staff edits of a built-in one (same id overrides it)
      CREATE TABLE rule_profiles (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE fix_outputs (
        evidence_id INTEGER PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL REFERENCES evidence(id),
        steps TEXT NOT NULL,
        part INTEGER NOT NULL,
        parts INTEGER NOT NULL,
        source_start_ms INTEGER,
        source_end_ms INTEGER,
        profile_id TEXT NOT NULL,
        profile_version INTEGER NOT NULL,
        job_id TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX fix_outputs_source ON fix_outputs(source_id);
    `);
  },
  async postgres({ exec }) {
    await exec(CHECKS_TABLES);
  },
};
