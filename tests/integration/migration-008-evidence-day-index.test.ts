import { describe, expect, it } from 'vitest';
import { readVersion } from '../../electron/core/db/migrate';
import { insertEvidence } from '../../electron/core/evidence/evidence-repo';
import { coverageReport } from '../../electron/core/insight/coverage/coverage-repo';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { columnOf } from '../helpers/raw-sql';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();

const indexDefs = (db: Awaited<ReturnType<ReturnType<typeof useTestDb>>>) =>
  db.engine === 'sqlite'
    ? columnOf<string>(
        db,
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evidence' AND sql IS NOT NULL",
      )
    : columnOf<string>(db, "SELECT indexdef FROM pg_indexes WHERE tablename = 'evidence'");

describe(`migration 008 (evidence by day, covering) on ${testEngine}`, () => {
  it('PostgreSQL: the day index covers what the daily views count; SQLite keeps its plain one', async () => {
    const db = await openTestDb(tmp());
    expect(await readVersion(db)).toBeGreaterThanOrEqual(8);
    const defs = (await indexDefs(db)).join('\n');
    if (db.engine === 'postgres') {
      expect(defs).toMatch(
        /evidence_captured_cover ON public\.evidence USING btree \(captured_at\) INCLUDE \(kind, check_state, origin, station, operator, id\)/,
      );
      expect(defs).not.toMatch(/\bevidence_captured ON/);
    } else {
      expect(defs).toMatch(/evidence_captured ON evidence\(captured_at\)/);
      expect(defs).not.toMatch(/evidence_captured_cover/);
    }
  });

  it('the daily views read the same counts through it', async () => {
    const db = await openTestDb(tmp());
    const order = await findOrCreateOrder(db, 'SF8000000000001', 'tracking', new Date('2026-11-20T09:00:00Z'));
    for (let i = 0; i < 30; i++)
      await insertEvidence(db, {
        orderId: order.id,
        kind: i % 3 ? 'video' : 'photo',
        origin: 'recorded',
        mode: 'outbound',
        path: `media/2026-11/e${i}.mp4`,
        originalName: null,
        mime: 'video/mp4',
        sha256: String(i).padStart(64, '0'),
        bytes: 1000,
        durationMs: 1000,
        width: 640,
        height: 480,
        station: i % 2 ? 'S1' : 'S2',
        operator: 'op',
        capturedAt: new Date(Date.UTC(2026, 10, 20, 1 + (i % 20))).toISOString(),
        parentId: null,
      });
    const q = { fromDay: '2026-11-20', toDay: '2026-11-20', limit: 10 };
    const report = await coverageReport(db, q);
    expect(report.days).toMatchObject([{ day: '2026-11-20', recordings: 20 }]);
    expect(report.byStation.map((s) => [s.station, s.recordings, s.photos])).toEqual([
      ['S1', 10, 5],
      ['S2', 10, 5],
    ]);
  });
});
