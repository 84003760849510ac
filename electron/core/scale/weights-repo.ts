import { AppError } from '../../../shared/api/result';
import type { Id } from '../../../shared/domain/types';
import { compareWeights, type OrderWeight, type Tolerance } from '../../../shared/domain/scale/weights';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import { inTransaction } from '../db/transaction';

/**
 * The one module that reads and writes `order_weights` (migration 011). A weight is stored
 * for the recording it was weighed in; a return weight is compared at once with the latest
 * packed weight of the same order (like a returned serial number with the packed ones).
 */
export async function recordWeight(
  db: Db,
  input: { recordingId: Id; grams: number },
  tolerance: Tolerance,
  now = new Date(),
): Promise<OrderWeight> {
  const rec = await db
    .selectFrom('recordings')
    .select(['id', 'order_id', 'mode', 'station', 'operator'])
    .where('id', '=', input.recordingId)
    .executeTakeFirst();
  if (!rec) throw new AppError('NOT_FOUND', 'No such recording', { problem: 'no-such-recording' });
  return inTransaction(db, async (trx) => {
    let packedGrams: number | null = null;
    if (rec.mode === 'return') {
      const packed = await trx
        .selectFrom('order_weights')
        .select('grams')
        .where('order_id', '=', rec.order_id)
        .where('mode', '=', 'outbound')
        .orderBy('weighed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      packedGrams = packed ? Number(packed.grams) : null;
    }
    const result = packedGrams == null ? null : compareWeights(packedGrams, input.grams, tolerance);
    const row = {
      id: newId(),
      order_id: rec.order_id,
      recording_id: rec.id,
      mode: rec.mode,
      grams: input.grams,
      weighed_at: now.toISOString(),
      station: rec.station,
      operator: rec.operator,
      packed_grams: packedGrams,
      result,
      station_id: trx.stationId,
    };
    await trx.insertInto('order_weights').values(row).execute();
    if (result === 'mismatch') {
      // flagged on the order like a swapped serial: listed by orders.flags until staff clear it
      await trx
        .insertInto('order_flags')
        .values({
          id: newId(),
          order_id: rec.order_id,
          flag: 'weight-mismatch',
          details: JSON.stringify({
            weightId: row.id,
            returnRecordingId: rec.id,
            returnedGrams: input.grams,
            packedGrams,
            tolerance,
            station: rec.station,
            operator: rec.operator,
          }),
          created_at: row.weighed_at,
          cleared_at: null,
          station_id: trx.stationId,
        })
        .execute();
    }
    await appendAudit(
      trx,
      {
        actor: rec.operator,
        action: result === 'mismatch' ? 'order.weightMismatch' : 'order.weighed',
        entity: 'order',
        entityId: rec.order_id,
        details: {
          weightId: row.id,
          recordingId: rec.id,
          mode: rec.mode,
          grams: input.grams,
          packedGrams,
          result,
          tolerance,
        },
      },
      now,
    );
    return toWeight(row);
  });
}

/** An order's weights, oldest first. */
export async function weightsOfOrder(db: Db, orderId: Id): Promise<OrderWeight[]> {
  const rows = await db
    .selectFrom('order_weights')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('weighed_at')
    .orderBy('id')
    .execute();
  return rows.map(toWeight);
}

function toWeight(r: {
  id: string;
  order_id: string;
  recording_id: string | null;
  mode: 'outbound' | 'return';
  grams: number;
  weighed_at: string;
  station: string;
  operator: string;
  packed_grams: number | null;
  result: 'match' | 'mismatch' | null;
}): OrderWeight {
  return {
    id: r.id,
    orderId: r.order_id,
    recordingId: r.recording_id,
    mode: r.mode,
    // pg returns float8 as number, but be safe with drivers that give text
    grams: Number(r.grams),
    weighedAt: r.weighed_at,
    station: r.station,
    operator: r.operator,
    result: r.result,
    packedGrams: r.packed_grams == null ? null : Number(r.packed_grams),
  };
}
