import type { HubFile, OrderFile } from '../../../shared/hub/hub-file';
import type { Db } from '../db/db';
import { chaptersOfFiles } from './hub-chapters';

export type { HubFile, OrderFile };

/** Shops a reader may see; empty or null: every shop. */
export type ShopLimit = readonly string[] | null;

function visible(db: Db, shops: ShopLimit) {
  let q = db
    .selectFrom('hub_evidence as e')
    .selectAll('e')
    .where('e.location', 'is not', null)
    .where('e.verified_at', 'is not', null);
  if (shops?.length) {
    const limit = [...shops];
    // the shop is the order's at its station: a file whose order has no known shop is
    // nobody's limited business (a limited reader never sees it)
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('hub_orders as o')
          .select('o.order_id')
          .whereRef('o.station_id', '=', 'e.station_id')
          .whereRef('o.order_no', '=', 'e.order_no')
          .where('o.shop', 'in', limit),
      ),
    );
  }
  return q;
}

type Row = Awaited<ReturnType<ReturnType<typeof visible>['executeTakeFirst']>>;
const toFile = (r: NonNullable<Row>): HubFile => ({
  stationId: r.station_id,
  evidenceId: r.evidence_id,
  orderNo: r.order_no,
  kind: r.kind,
  mode: r.mode,
  fileName: r.file_name,
  sha256: r.sha256,
  bytes: Number(r.bytes),
  durationMs: r.duration_ms,
  capturedAt: r.captured_at,
  operator: r.operator,
  stationName: r.station_name,
  location: r.location!,
});

/** Every verified file of an order number at every station, oldest first, within the shops given; videos with their chapters. */
export async function orderFiles(db: Db, orderNo: string, shops: ShopLimit): Promise<OrderFile[]> {
  const rows = await visible(db, shops)
    .where('e.order_no', '=', orderNo)
    .orderBy('e.captured_at')
    .orderBy('e.evidence_id')
    .execute();
  const files = rows.map(toFile);
  const chapters = await chaptersOfFiles(
    db,
    files.filter((f) => f.kind === 'video'),
  );
  return files.map((f) => ({ ...f, chapters: chapters.get(`${f.stationId}/${f.evidenceId}`) ?? [] }));
}

/** One verified file, if the reader may see it; null otherwise (no hint whether it exists). */
export async function visibleFile(
  db: Db,
  stationId: string,
  evidenceId: string,
  shops: ShopLimit,
): Promise<HubFile | null> {
  const row = await visible(db, shops)
    .where('e.station_id', '=', stationId)
    .where('e.evidence_id', '=', evidenceId)
    .executeTakeFirst();
  return row ? toFile(row) : null;
}
