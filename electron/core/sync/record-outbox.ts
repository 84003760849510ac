import { sql } from 'kysely';
import { RECORDS_BATCH, SYNCED_TABLES, type StationRecord } from '../../../shared/hub/records';
import type { Db } from '../db/db';

/**
 * Marks every row of the synced tables as changed: at pairing, so a station paired late
 * (or paired again with another hub) sends all it has. Later changes are marked by the
 * triggers of migration 019.
 */
export async function queueAllRecords(db: Db): Promise<void> {
  for (const t of SYNCED_TABLES)
    // WHERE true: SQLite would read ON CONFLICT as a join's ON without it
    await sql`INSERT INTO sync_dirty (tbl, row_key, gen) SELECT ${sql.lit(t)}, id, 1 FROM ${sql.table(t)} WHERE true
      ON CONFLICT (tbl, row_key) DO UPDATE SET gen = sync_dirty.gen + 1`.execute(db);
}

/** rows changed and not yet taken by the hub */
export async function pendingRecords(db: Db): Promise<number> {
  const r = await db
    .selectFrom('sync_dirty')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Sends the changed rows table by table, parents first, each as it stands now (a deleted
 * row as null), RECORDS_BATCH at a time. An entry is cleared only if its row did not change
 * again while it was on its way (its `gen` is the one read); otherwise the next batch or
 * pass sends the newer row. The count sent.
 */
export async function sendRecords(
  db: Db,
  put: (batch: { records: StationRecord[] }) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<number> {
  let sent = 0;
  for (const table of SYNCED_TABLES) {
    for (;;) {
      if (signal?.aborted) return sent;
      const dirty = await db
        .selectFrom('sync_dirty')
        .select(['row_key', 'gen'])
        .where('tbl', '=', table)
        .orderBy('row_key')
        .limit(RECORDS_BATCH)
        .execute();
      if (!dirty.length) break;
      const keys = dirty.map((d) => d.row_key);
      const rows = (await db
        .selectFrom(table as 'orders')
        .selectAll()
        .where('id', 'in', keys)
        .execute()) as unknown as Record<string, unknown>[];
      const byKey = new Map(rows.map((r) => [String(r.id), r]));
      await put({ records: dirty.map((d) => ({ table, key: d.row_key, row: byKey.get(d.row_key) ?? null })) });
      sent += dirty.length;
      const byGen = new Map<number, string[]>();
      for (const d of dirty) {
        const keys = byGen.get(Number(d.gen)) ?? [];
        keys.push(d.row_key);
        byGen.set(Number(d.gen), keys);
      }
      for (const [gen, same] of byGen)
        await db
          .deleteFrom('sync_dirty')
          .where('tbl', '=', table)
          .where('gen', '=', gen)
          .where('row_key', 'in', same)
          .execute();
      if (dirty.length < RECORDS_BATCH) break;
    }
  }
  return sent;
}
