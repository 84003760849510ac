import { AppError } from '../../../shared/api/result';
import type { EvidenceRecord, EvidenceState } from '../../../shared/hub/protocol';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import type { HubEvidenceTable } from '../db/schema-hub';
import { inTransaction } from '../db/transaction';
import { mirrorHubFile } from './hub-mirror';

/**
 * The hub's side of evidence records: a station sends each record before its bytes. The
 * key is (station, the station's evidence id), so a record sent twice is one row. A file
 * already verified keeps its bytes and hash: a station cannot overwrite what the hub
 * confirmed (evidence never changes once made; a different hash means a different file).
 */
export async function receiveEvidenceRecord(
  db: Db,
  station: { id: string; name: string },
  rec: EvidenceRecord,
  now = new Date(),
): Promise<EvidenceState> {
  return inTransaction(db, async (trx) => {
    const known = await trx
      .selectFrom('hub_evidence')
      .selectAll()
      .where('station_id', '=', station.id)
      .where('evidence_id', '=', rec.id)
      .executeTakeFirst();
    if (known?.verified_at) {
      if (known.sha256 !== rec.sha256)
        throw new AppError('CONFLICT', 'The hub already holds a different file under this evidence id', {
          problem: 'hub-evidence-differs',
        });
      return { state: 'verified', location: known.location };
    }
    const row = {
      order_no: rec.orderNo,
      tracking_no: rec.trackingNo,
      kind: rec.kind,
      mode: rec.mode,
      file_name: rec.fileName,
      sha256: rec.sha256,
      bytes: rec.bytes,
      duration_ms: rec.durationMs,
      captured_at: rec.capturedAt,
      operator: rec.operator,
      station_name: rec.stationName || station.name,
      origin: rec.origin ?? null,
      mime: rec.mime ?? null,
      width: rec.width ?? null,
      height: rec.height ?? null,
      parent_id: rec.parentId ?? null,
    };
    if (known)
      await trx
        .updateTable('hub_evidence')
        .set(row)
        .where('station_id', '=', station.id)
        .where('evidence_id', '=', rec.id)
        .execute();
    else
      await trx
        .insertInto('hub_evidence')
        .values({
          station_id: station.id,
          evidence_id: rec.id,
          location: null,
          received_at: now.toISOString(),
          verified_at: null,
          ...row,
        })
        .execute();
    return { state: 'needs-upload', location: null };
  });
}

export async function evidenceOnHub(db: Db, stationId: string, evidenceId: string): Promise<HubEvidenceTable | null> {
  const row = await db
    .selectFrom('hub_evidence')
    .selectAll()
    .where('station_id', '=', stationId)
    .where('evidence_id', '=', evidenceId)
    .executeTakeFirst();
  return row ?? null;
}

export const stateOf = (row: HubEvidenceTable): EvidenceState =>
  row.verified_at ? { state: 'verified', location: row.location } : { state: 'needs-upload', location: null };

/** The bytes are stored at `location` and hash equal to the record: the file is verified. */
export async function markEvidenceVerified(
  db: Db,
  row: HubEvidenceTable,
  location: string,
  now = new Date(),
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('hub_evidence')
      .set({ location, verified_at: now.toISOString() })
      .where('station_id', '=', row.station_id)
      .where('evidence_id', '=', row.evidence_id)
      .execute();
    // the hub's own cases and packets see the file from now on (issue 12)
    await mirrorHubFile(trx, row.station_id, row.evidence_id, now);
    await appendAudit(
      trx,
      {
        actor: 'hub',
        action: 'hub.evidence-verified',
        entity: 'evidence',
        entityId: row.evidence_id,
        details: { station: row.station_id, orderNo: row.order_no, sha256: row.sha256, location },
      },
      now,
    );
  });
}

/** What arrived did not hash to the record: thrown away, audited, and the station re-sends. */
export async function auditEvidenceMismatch(db: Db, row: HubEvidenceTable, got: string, now = new Date()) {
  await appendAudit(
    db,
    {
      actor: 'hub',
      action: 'hub.evidence-mismatch',
      entity: 'evidence',
      entityId: row.evidence_id,
      details: { station: row.station_id, orderNo: row.order_no, expected: row.sha256, got },
    },
    now,
  );
}

/** Every station's evidence on this hub, by order number then capture time. */
export async function listHubEvidence(db: Db): Promise<HubEvidenceTable[]> {
  return db
    .selectFrom('hub_evidence')
    .selectAll()
    .orderBy('order_no')
    .orderBy('captured_at')
    .orderBy('evidence_id')
    .execute();
}
