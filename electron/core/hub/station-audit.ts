import type { AuditEntry } from '../../../shared/hub/protocol';
import { appendAudit, verifyChain, type AuditVerification } from '../audit/audit-log';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';

/**
 * A station's audit entries arriving at the hub, kept exactly as the station wrote them.
 * In order only: an entry that does not follow the last one kept stops the batch, and the
 * answer (`lastSeq`) tells the station where to resume. An entry sent again with the same
 * hash changes nothing; with another hash, the station's log was changed after the hub got
 * it: the hub keeps the first copy and writes that into its own chain.
 */
export async function receiveStationAudit(
  db: Db,
  station: { id: string; name: string },
  entries: AuditEntry[],
  now: Date,
): Promise<{ lastSeq: number }> {
  return inTransaction(db, async (trx) => {
    const head = await trx
      .selectFrom('hub_station_audit')
      .select('seq')
      .where('station_id', '=', station.id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let last = head?.seq ?? 0;
    const changed: number[] = [];
    for (const e of entries) {
      if (e.seq <= last) {
        const kept = await trx
          .selectFrom('hub_station_audit')
          .select('hash')
          .where('station_id', '=', station.id)
          .where('seq', '=', e.seq)
          .executeTakeFirst();
        if (kept && kept.hash !== e.hash) changed.push(e.seq);
        continue;
      }
      if (e.seq !== last + 1) break;
      await trx
        .insertInto('hub_station_audit')
        .values({
          station_id: station.id,
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          entity: e.entity,
          entity_id: e.entityId,
          details: e.details,
          prev_hash: e.prevHash,
          hash: e.hash,
          received_at: now.toISOString(),
        })
        .execute();
      last = e.seq;
    }
    if (changed.length)
      await appendAudit(
        trx,
        {
          actor: `station:${station.name}`,
          action: 'hub.station-audit-changed',
          entity: 'hub_station',
          entityId: station.id,
          details: { seqs: changed.slice(0, 50) },
        },
        now,
      );
    return { lastSeq: last };
  });
}

export interface StationChainVerification extends AuditVerification {
  stationId: string;
  stationName: string;
}

/** `audit verify` on a hub: every station's chain as it arrived, one by one. */
export async function verifyStationChains(db: Db): Promise<StationChainVerification[]> {
  const withEntries = await db.selectFrom('hub_station_audit').select('station_id').distinct().execute();
  const names = new Map(
    (await db.selectFrom('hub_stations').select(['id', 'name']).execute()).map((s) => [s.id, s.name]),
  );
  const out: StationChainVerification[] = [];
  for (const { station_id } of withEntries.sort((a, b) => a.station_id.localeCompare(b.station_id))) {
    const chain = await verifyChain((afterSeq, limit) =>
      db
        .selectFrom('hub_station_audit')
        .selectAll()
        .where('station_id', '=', station_id)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute(),
    );
    out.push({ ...chain, stationId: station_id, stationName: names.get(station_id) ?? station_id });
  }
  return out;
}
