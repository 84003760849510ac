import type { EvidenceCheck } from '../../../shared/api/calls/checks';
import type { Lang } from '../../../shared/i18n';
import { describeFinding } from '../../../shared/rules/describe';
import type { ProbeFacts } from '../../../shared/rules/facts';
import type { CheckState, Finding, FindingCode, FixId, Severity } from '../../../shared/rules/findings';
import type { DB } from '../db/connection';

/**
 * Stored check results: the latest per evidence file, its findings one per row, and the
 * evidence row's check_state kept in step in the same transaction.
 */
interface CheckRow {
  id: number;
  evidence_id: number;
  profile_id: string;
  profile_version: number;
  state: CheckState;
  facts: string;
  expected_code: string | null;
  checked_at: string;
  took_ms: number;
}

export interface NewCheck {
  evidenceId: number;
  profile: { id: string; version: number };
  state: CheckState;
  facts: ProbeFacts;
  findings: Finding[];
  expectedCode: string | null;
  tookMs: number;
}

/** Stores a check result; false when the file's row is gone meanwhile (retention removed it). */
export function saveCheck(db: DB, c: NewCheck, at = new Date()): boolean {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM evidence WHERE id = ?').get(c.evidenceId)) return false;
    db.prepare('DELETE FROM evidence_checks WHERE evidence_id = ?').run(c.evidenceId);
    const info = db
      .prepare(
        `INSERT INTO evidence_checks (evidence_id, profile_id, profile_version, state, facts, expected_code, checked_at, took_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.evidenceId,
        c.profile.id,
        c.profile.version,
        c.state,
        JSON.stringify(c.facts),
        c.expectedCode,
        at.toISOString(),
        Math.round(c.tookMs),
      );
    const insert = db.prepare(
      'INSERT INTO check_findings (check_id, code, severity, fix, params) VALUES (?, ?, ?, ?, ?)',
    );
    for (const f of c.findings)
      insert.run(info.lastInsertRowid, f.code, f.severity, f.fix ?? null, JSON.stringify(f.params));
    db.prepare('UPDATE evidence SET check_state = ? WHERE id = ?').run(c.state, c.evidenceId);
    return true;
  })();
}

function toCheck(db: DB, row: CheckRow, lang: Lang): EvidenceCheck {
  const findings = (
    db.prepare('SELECT code, severity, fix, params FROM check_findings WHERE check_id = ? ORDER BY id').all(row.id) as {
      code: FindingCode;
      severity: Severity;
      fix: FixId | null;
      params: string;
    }[]
  ).map((f) => {
    const finding: Finding = {
      code: f.code,
      severity: f.severity,
      params: JSON.parse(f.params),
      ...(f.fix ? { fix: f.fix } : {}),
    };
    return { ...finding, message: describeFinding(lang, finding) };
  });
  return {
    evidenceId: row.evidence_id,
    state: row.state,
    profile: { id: row.profile_id, version: row.profile_version },
    checkedAt: row.checked_at,
    tookMs: row.took_ms,
    expectedCode: row.expected_code,
    facts: JSON.parse(row.facts),
    findings,
  };
}

export function latestCheck(db: DB, evidenceId: number, lang: Lang): EvidenceCheck | null {
  const row = db
    .prepare('SELECT * FROM evidence_checks WHERE evidence_id = ? ORDER BY id DESC LIMIT 1')
    .get(evidenceId) as CheckRow | undefined;
  return row ? toCheck(db, row, lang) : null;
}

export function checksForOrder(db: DB, orderId: number, lang: Lang): EvidenceCheck[] {
  const rows = db
    .prepare(
      `SELECT c.* FROM evidence_checks c JOIN evidence e ON e.id = c.evidence_id
       WHERE e.order_id = ? ORDER BY e.captured_at, e.id`,
    )
    .all(orderId) as CheckRow[];
  return rows.map((r) => toCheck(db, r, lang));
}

/** Every stored result (for re-judging against another profile without reading files). */
export function* allStoredFacts(db: DB): Generator<{
  evidenceId: number;
  facts: ProbeFacts;
  expectedCode: string | null;
  profileId: string;
  profileVersion: number;
  tookMs: number;
}> {
  const rows = db
    .prepare('SELECT evidence_id, facts, expected_code, profile_id, profile_version, took_ms FROM evidence_checks')
    .all() as Pick<
    CheckRow,
    'evidence_id' | 'facts' | 'expected_code' | 'profile_id' | 'profile_version' | 'took_ms'
  >[];
  for (const r of rows) {
    yield {
      evidenceId: r.evidence_id,
      facts: JSON.parse(r.facts),
      expectedCode: r.expected_code,
      profileId: r.profile_id,
      profileVersion: r.profile_version,
      tookMs: r.took_ms,
    };
  }
}
