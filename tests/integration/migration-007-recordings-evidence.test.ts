import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/db';
import { newId } from '../../electron/core/db/ids';
import { readVersion } from '../../electron/core/db/migrate';
import { evidenceForOrder, insertEvidence } from '../../electron/core/evidence/evidence-repo';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { plansOf } from '../helpers/query-plans';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

async function recordedVideo(db: Db) {
  const order = await findOrCreateOrder(db, 'SF7000000000001', 'tracking', new Date('2026-11-20T09:00:00Z'));
  const at = '2026-11-20T09:00:00.000Z';
  const evidenceId = await insertEvidence(db, {
    orderId: order.id,
    kind: 'video',
    origin: 'recorded',
    mode: 'outbound',
    path: 'media/2026-11/a.mp4',
    originalName: null,
    mime: 'video/mp4',
    sha256: 'a'.repeat(64),
    bytes: 1000,
    durationMs: 60_000,
    width: 1280,
    height: 720,
    station: 'S1',
    operator: 'op',
    capturedAt: at,
    parentId: null,
  });
  const recordingId = crypto.randomUUID();
  await db
    .insertInto('recordings')
    .values({
      id: recordingId,
      order_id: order.id,
      scan_code: order.orderNo,
      mode: 'outbound',
      mime: 'video/mp4',
      part_path: 'media/incoming/a.part',
      station: 'S1',
      operator: 'op',
      started_at: at,
      status: 'finalized',
      evidence_id: evidenceId,
      error: null,
      station_id: db.stationId,
    })
    .execute();
  await db
    .insertInto('chapters')
    .values({ id: newId(), recording_id: recordingId, step: 'sealed', at_ms: 50_000, station_id: db.stationId })
    .execute();
  return order;
}

describe(`migration 007 (recordings by evidence) on ${testEngine}`, () => {
  it('indexes recordings by evidence, and reading an order’s evidence probes it instead of scanning recordings', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(7);
    const order = await recordedVideo(db);
    const evidence = await evidenceForOrder(db, order.id);
    expect(evidence.map((e) => e.chapters)).toEqual([[{ step: 'sealed', atMs: 50_000 }]]);

    const plans = (await plansOf(db, (d) => evidenceForOrder(d, order.id), { avoidSeqScan: true })).flat();
    expect(plans.some((l) => l.includes('recordings_evidence'))).toBe(true);
    expect(plans.filter((l) => /^SCAN r\b|Seq Scan recordings/.test(l))).toEqual([]);
  });

  it('is one plain index on recordings(evidence_id) on both engines', async () => {
    const db = await openTestDb(tmp());
    const { rows } =
      db.engine === 'sqlite'
        ? await sql<{ def: string }>`SELECT sql AS def FROM sqlite_master WHERE name = 'recordings_evidence'`.execute(
            db,
          )
        : await sql<{
            def: string;
          }>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'recordings_evidence'`.execute(db);
    expect(rows).toHaveLength(1);
    expect(rows[0].def).toMatch(/ON (public\.)?recordings\s*(USING btree\s*)?\(\s*evidence_id\s*\)/i);
  });
});
