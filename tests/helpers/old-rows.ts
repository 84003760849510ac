import { sql } from 'kysely';
import type { Db } from '../../electron/core/db/db';
import { newId } from '../../electron/core/db/ids';

/**
 * An order row written into a database still at an older migration: only the columns every
 * schema since migration 006 has. (Today's repository functions read columns added later,
 * such as `shop` from migration 022, so they cannot run on an old schema.)
 */
export async function insertOldOrder(
  db: Db,
  orderNo: string,
  trackingNo: string | null,
  at: Date | string,
): Promise<string> {
  const id = newId();
  const iso = typeof at === 'string' ? at : at.toISOString();
  await sql`INSERT INTO orders (id, order_no, tracking_no, source, created_at, updated_at, station_id)
            VALUES (${id}, ${orderNo}, ${trackingNo}, 'scan', ${iso}, ${iso}, ${db.stationId})`.execute(db);
  return id;
}
