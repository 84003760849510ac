import type { Selectable } from 'kysely';
import type { EvidenceCheck } from '../../../shared/api/calls/checks';
import type { Id } from '../../../shared/domain/id';
import type { Lang } from '../../../shared/i18n';
import { describeFinding } from '../../../shared/rules/describe';
import type { ProbeFacts } from '../../../shared/rules/facts';
import type { CheckState, Finding, FindingCode, FixId } from '../../../shared/rules/findings';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import type { EvidenceChecksTable } from '../db/schema';
import { inTransaction } from '../db/transaction';

/**
 * Stored check results: the latest per evidence file, its findings one per row, and the
 * evidence row's check_state kept in step in the same transaction.
 */
type CheckRow = Selectable<EvidenceChecksTable>;

export interface NewCheck {
  evidenceId: Id;
  profile: { id: string; version: number };
  state: CheckState;
  facts: ProbeFacts;
  findings: Finding[];
  expectedCode: string | null;
  tookMs: number;
}

/** Stores a check result; false when the file's row is gone meanwhile (retention removed it). */
export async function saveCheck(db: Db, c: NewCheck, at = new Date()): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const exists = await trx.selectFrom('evidence').select('id').where('id', '=', c.evidenceId).executeTakeFirst();
    if (!exists) return false;
    await trx.deleteFrom('evidence_checks').where('evidence_id', '=', c.evidenceId).execute();
    const checkId = newId();
    await trx
      .insertInto('evidence_checks')
      .values({
        id: checkId,
        evidence_id: c.evidenceId,
        profile_id: c.profile.id,
        profile_version: c.profile.version,
        state: c.state,
        facts: JSON.stringify(c.facts),
        expected_code: c.expectedCode,
        checked_at: at.toISOString(),
        took_ms: Math.round(c.tookMs),
        station_id: trx.stationId,
      })
      .execute();
    // ids are made here, in order (UUIDv7 is monotonic within a process): ORDER BY id
    // reads the findings back in the order the rules produced them
    if (c.findings.length)
      await trx
        .insertInto('check_findings')
        .values(
          c.findings.map((f) => ({
            id: newId(),
            check_id: checkId,
            code: f.code,
            severity: f.severity,
            fix: f.fix ?? null,
            params: JSON.stringify(f.params),
            station_id: trx.stationId,
          })),
        )
        .execute();
    await trx.updateTable('evidence').set({ check_state: c.state }).where('id', '=', c.evidenceId).execute();
    return true;
  });
}

async function toCheck(db: Db, row: CheckRow, lang: Lang): Promise<EvidenceCheck> {
  const rows = await db
    .selectFrom('check_findings')
    .select(['code', 'severity', 'fix', 'params'])
    .where('check_id', '=', row.id)
    .orderBy('id')
    .execute();
  const findings = rows.map((f) => {
    const finding: Finding = {
      code: f.code as FindingCode,
      severity: f.severity,
      params: JSON.parse(f.params),
      ...(f.fix ? { fix: f.fix as FixId } : {}),
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

export async function latestCheck(db: Db, evidenceId: Id, lang: Lang): Promise<EvidenceCheck | null> {
  const row = await db
    .selectFrom('evidence_checks')
    .selectAll()
    .where('evidence_id', '=', evidenceId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toCheck(db, row, lang) : null;
}

export async function checksForOrder(db: Db, orderId: Id, lang: Lang): Promise<EvidenceCheck[]> {
  const rows = await db
    .selectFrom('evidence_checks as c')
    .innerJoin('evidence as e', 'e.id', 'c.evidence_id')
    .selectAll('c')
    .where('e.order_id', '=', orderId)
    .orderBy('e.captured_at')
    .orderBy('e.id')
    .execute();
  const out: EvidenceCheck[] = [];
  for (const r of rows) out.push(await toCheck(db, r, lang));
  return out;
}

export interface StoredFacts {
  evidenceId: Id;
  facts: ProbeFacts;
  expectedCode: string | null;
  profileId: string;
  profileVersion: number;
  tookMs: number;
}

/** Every stored result (for re-judging against another profile without reading files). */
export async function allStoredFacts(db: Db): Promise<StoredFacts[]> {
  const rows = await db
    .selectFrom('evidence_checks')
    .select(['evidence_id', 'facts', 'expected_code', 'profile_id', 'profile_version', 'took_ms'])
    .execute();
  return rows.map((r) => ({
    evidenceId: r.evidence_id,
    facts: JSON.parse(r.facts),
    expectedCode: r.expected_code,
    profileId: r.profile_id,
    profileVersion: r.profile_version,
    tookMs: r.took_ms,
  }));
}
