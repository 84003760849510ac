import { sql } from 'kysely';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { runImport } from '../../electron/core/insight/import/run-import';
import { serialProofForOrder } from '../../electron/core/insight/serials/serial-service';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { serialStatementLines } from '../../shared/domain/insight/serials';
import { addDays, today } from '../../shared/domain/insight/days';
import type { ApiEvents } from '../../shared/api/events';
import type { CoverageReport, SerialScanResult } from '../../shared/domain/insight/types';
import type { Evidence, RecordingSession } from '../../shared/domain/types';
import type { CaseDetail } from '../../shared/domain/cases/types';
import { localDay } from '../../shared/domain/insight/days';
import { orderRow, writeOrdersCsv } from '../fixtures/order-files';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { columnOf, rowOf, valueOf } from '../helpers/raw-sql';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';
import { newId } from '../../electron/core/db/ids';

const tmp = useTempDirs();

/** A real recording through the contract: start, stream chunks, optional serial scans mid-way, stop. */
async function record(
  core: Core,
  code: string,
  mode: 'outbound' | 'return',
  serials: { code: string; atMs: number }[] = [],
) {
  const { chunks } = recorderLikeStream(tmp('pp-media-'), 2, { width: 320, height: 240 });
  const session = (await core.handlers['capture.start']({
    code,
    mode,
    mime: 'video/mp4;codecs=avc1',
  })) as RecordingSession;
  let seq = 0;
  const results: SerialScanResult[] = [];
  for (const data of chunks) {
    await core.handlers['capture.chunk']({ recordingId: session.id, seq: seq++, data });
    const s = serials.shift();
    if (s)
      results.push(
        (await core.handlers['serials.scan']({
          recordingId: session.id,
          code: s.code,
          atMs: s.atMs,
        })) as SerialScanResult,
      );
  }
  const evidence = (await core.handlers['capture.stop']({ recordingId: session.id })) as Evidence;
  return { session, evidence, serials: results };
}

function notices(core: Core) {
  const seen: ApiEvents['notice'][] = [];
  core.ctx.events.onAny((event, p) => {
    if (event === 'notice') seen.push(p as ApiEvents['notice']);
  });
  return seen;
}

/** Wait for the background checks (issue 3) of every file to finish, so states stop changing. */
async function checksSettled(core: Core) {
  for (let i = 0; i < 600; i++) {
    if (Number(await valueOf(core.ctx.db, "SELECT COUNT(*) FROM evidence WHERE check_state = 'pending'")) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('checks did not finish');
}

const importRows = (core: Core, rows: Parameters<typeof writeOrdersCsv>[1]) =>
  runImport(core.ctx, {
    file: writeOrdersCsv(path.join(tmp(), 'o.csv'), rows),
    fileName: 'o.csv',
    sourceName: 'pdd',
    mapping: null,
    options: {},
    actor: 'staff',
  });

describe(`import links recordings scanned by tracking number (${testEngine})`, () => {
  it('renames a lone scan order into the imported order, and merges several into an existing one', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'cli' });
    const a = orderRow(1);
    const b = orderRow(2);
    // packer scanned tracking numbers before the orders were known
    const ra = await record(core, a.trackingNo!, 'outbound');
    expect(ra.session.orderNo).toBe(a.trackingNo);
    const rb1 = await record(core, b.trackingNo!, 'outbound');
    // b's order also exists already (opened by order number), and its return came back with a return waybill
    const bOrder = await record(core, b.orderNo, 'outbound');
    const rbReturn = await record(core, 'YT9000000000001', 'return');
    const r = await importRows(core, [
      a,
      { ...b, returnTrackingNo: 'YT9000000000001', returnSignedAt: '2026-11-22 10:00:00' },
    ]);
    expect(r).toMatchObject({ imported: 2, linked: 3, rejected: 0 });

    const db = core.ctx.db;
    const orderOf = (evidenceId: string) =>
      valueOf(db, 'SELECT o.order_no FROM evidence e JOIN orders o ON o.id = e.order_id WHERE e.id = ?', evidenceId);
    // a: the scan order itself became the order (same id, evidence untouched)
    expect(
      await rowOf(db, 'SELECT id, order_no, tracking_no, source FROM orders WHERE id = ?', ra.session.orderId),
    ).toEqual({ id: ra.session.orderId, order_no: a.orderNo, tracking_no: a.trackingNo, source: 'import' });
    expect(await orderOf(ra.evidence.id)).toBe(a.orderNo);
    // b: both scan orders merged into the existing order, then removed
    for (const ev of [rb1.evidence, bOrder.evidence, rbReturn.evidence]) expect(await orderOf(ev.id)).toBe(b.orderNo);
    expect(Number(await valueOf(db, 'SELECT COUNT(*) FROM orders'))).toBe(2);
    expect(
      Number(await valueOf(db, 'SELECT COUNT(*) FROM recordings WHERE order_id = ?', bOrder.session.orderId)),
    ).toBe(3);
    // the trail: who moved what from which order
    const merges = (
      await columnOf<string>(db, "SELECT details FROM audit_log WHERE action = 'order.merged' ORDER BY seq")
    ).map((d) => JSON.parse(d) as { fromOrderNo: string; intoOrderNo: string; evidenceIds: string[] });
    expect(merges.map((m) => m.fromOrderNo).sort()).toEqual([b.trackingNo, 'YT9000000000001'].sort());
    expect(merges.every((m) => m.intoOrderNo === b.orderNo && m.evidenceIds.length === 1)).toBe(true);
    expect((await verifyAudit(db)).ok).toBe(true);
    // a later scan of the return waybill finds the order
    const again = await core.handlers['coverage.lookup']({ code: 'YT9000000000001' });
    expect(again).toMatchObject({ orderNo: b.orderNo, outboundVideos: 2, returnVideos: 1 });
    // re-import: nothing left to link, nothing changes
    expect(
      await importRows(core, [a, { ...b, returnTrackingNo: 'YT9000000000001', returnSignedAt: '2026-11-22 10:00:00' }]),
    ).toMatchObject({ imported: 0, updated: 0, unchanged: 2, linked: 0 });
    await core.close();
  });
});

describe(`serial numbers (${testEngine})`, () => {
  it('match, mismatch (flag, loud notice, case facts) and missing', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'cli' });
    const seen = notices(core);
    const [m, x, n] = [orderRow(11), orderRow(12), orderRow(13)];
    await importRows(core, [m, x, n]);
    await record(core, m.trackingNo!, 'outbound', [{ code: '356789012345678', atMs: 1200 }]);
    const packX = await record(core, x.orderNo, 'outbound', [{ code: 'sn-ab12cd34', atMs: 900 }]);
    expect(packX.serials[0]).toMatchObject({ serial: 'SNAB12CD34', mode: 'outbound', result: null, flagged: false });
    await record(core, n.orderNo, 'outbound');

    const retM = await record(core, m.orderNo, 'return', [{ code: '356789012345678', atMs: 3000 }]);
    expect(retM.serials[0]).toMatchObject({ result: 'match', flagged: false, packedSerials: ['356789012345678'] });
    const retN = await record(core, n.orderNo, 'return', [{ code: 'SNZZ0000001', atMs: 500 }]);
    expect(retN.serials[0]).toMatchObject({ result: 'missing', flagged: false });
    const retX = await record(core, x.trackingNo!, 'return', [{ code: 'SNFF99990000', atMs: 2100 }]);
    expect(retX.serials[0]).toMatchObject({
      orderNo: x.orderNo,
      result: 'mismatch',
      flagged: true,
      packedSerials: ['SNAB12CD34'],
    });
    expect(seen.filter((s) => s.code === 'serial.notice.mismatch')).toEqual([
      {
        level: 'error',
        code: 'serial.notice.mismatch',
        params: { order: x.orderNo, returned: 'SNFF99990000', packed: 'SNAB12CD34' },
      },
    ]);

    // flagged on the order at once, and listed as a coverage gap with the return clip
    const flags = (await core.handlers['orders.flags']({ orderId: retX.session.orderId, openOnly: true })) as {
      id: string;
      flag: string;
      details: Record<string, unknown>;
    }[];
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      flag: 'swapped-item',
      details: { returnedSerial: 'SNFF99990000', packedSerials: ['SNAB12CD34'], returnAtMs: 2100 },
    });
    const cov = (await core.handlers['coverage.report']({
      fromDay: today(),
      toDay: today(),
      limit: 100,
    })) as CoverageReport;
    expect(cov.gaps.filter((g) => g.kind === 'swapped-item')).toMatchObject([
      { orderNo: x.orderNo, evidenceId: retX.evidence.id },
    ]);
    expect(cov.totals.swapped).toBe(1);

    // what a case gets: both clips and both serial times, in the statement too
    const proof = await serialProofForOrder(core.ctx.db, retX.session.orderId);
    expect(proof).toMatchObject({
      result: 'mismatch',
      packingClipId: packX.evidence.id,
      returnClipId: retX.evidence.id,
      packed: [{ serial: 'SNAB12CD34', atMs: 900, evidenceId: packX.evidence.id }],
      returned: [{ serial: 'SNFF99990000', atMs: 2100, evidenceId: retX.evidence.id }],
    });
    const zh = serialStatementLines(proof, { lang: 'zh-CN', timeZone: 'Asia/Shanghai' }).join('\n');
    expect(zh).toContain('SNAB12CD34');
    expect(zh).toContain('视频 00:01 处');
    expect(zh).toContain('视频 00:02 处');
    expect(zh).toContain('调包');
    expect(serialStatementLines(proof, { lang: 'en' }).join(' ')).toMatch(/differ.*swapped/);

    // a label photo taken right after a serial scan is linked to it
    const jpeg = (await import('sharp'))
      .default({ create: { width: 64, height: 48, channels: 3, background: '#888' } })
      .jpeg();
    const photo = (await core.handlers['capture.photo']({
      orderId: retX.session.orderId,
      mode: 'return',
      mime: 'image/jpeg',
      data: new Uint8Array(await jpeg.toBuffer()),
    })) as Evidence;
    expect((await serialProofForOrder(core.ctx.db, retX.session.orderId)).returned[0].photoEvidenceId).toBe(photo.id);

    // a swapped-item case from the comparison: clips + label photo on serial-proof, serial facts in the statement
    const opened = (await core.handlers['serials.openCase']({
      orderId: retX.session.orderId,
      appealType: 'goods',
    })) as CaseDetail;
    expect(opened.case).toMatchObject({ scenario: 'swapped', appealType: 'goods', orderId: retX.session.orderId });
    const serialItem = opened.checklist.items.find((i) => i.requirement === 'serial-proof')!;
    expect(serialItem.evidence.map((e) => e.evidenceId).sort()).toEqual(
      [packX.evidence.id, retX.evidence.id, photo.id].sort(),
    );
    expect(
      opened.checklist.items.find((i) => i.requirement === 'packing-video')!.evidence.map((e) => e.evidenceId),
    ).toContain(packX.evidence.id);
    expect(
      opened.checklist.items.find((i) => i.requirement === 'unboxing-video')!.evidence.map((e) => e.evidenceId),
    ).toContain(retX.evidence.id);
    expect(opened.statement).toContain('SNAB12CD34');
    expect(opened.statement).toContain('SNFF99990000');
    expect(opened.statement).toContain('调包');
    await expect(core.handlers['serials.openCase']({ orderId: newId(), appealType: 'goods' })).rejects.toThrow();

    // one unit, one serial: packing the same serial into another order warns
    const dup = await record(core, orderRow(14).orderNo, 'outbound', [{ code: '356789012345678', atMs: 100 }]);
    expect(dup.serials[0].alsoPackedIn).toEqual([m.orderNo]);
    expect(seen.some((s) => s.code === 'serial.notice.alsoPacked')).toBe(true);

    // staff resolve the flag
    const cleared = (await core.handlers['orders.flags.clear']({
      flagId: flags[0].id,
      note: 'checked',
    })) as { clearedAt: string | null };
    expect(cleared.clearedAt).not.toBeNull();
    expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
    await core.close();
  });
});

describe(`coverage (${testEngine})`, () => {
  it('lists shipped orders without packing video, returns without unboxing video, blocked evidence — by day and station', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'cli' });
    await core.handlers['settings.update']({ stationName: 'A1', operator: '小王' });
    const day = today();
    const yesterday = addDays(day, -1);
    const rows = [0, 1, 2, 3].map((i) => orderRow(20 + i, i < 3 ? day : yesterday));
    rows[2] = { ...rows[2], returnTrackingNo: 'YT8000000000002', returnSignedAt: `${day} 09:30:00` };
    await importRows(core, rows);
    let cov = (await core.handlers['coverage.report']({
      fromDay: yesterday,
      toDay: day,
      limit: 100,
    })) as CoverageReport;
    expect(cov.totals).toMatchObject({
      shipped: 4,
      shippedWithoutVideo: 4,
      returnsSigned: 1,
      returnsWithoutVideo: 1,
      blocked: 0,
    });
    expect(cov.days.map((d) => [d.day, d.shipped])).toEqual([
      [yesterday, 1],
      [day, 3],
    ]);

    // record two of them (one by tracking number) and the return
    await record(core, rows[0].orderNo, 'outbound');
    const second = await record(core, rows[1].trackingNo!, 'outbound');
    await record(core, 'YT8000000000002', 'return');
    // pin the check results (issue 3's checks judge these synthetic videos on their own): the second video is blocked
    await checksSettled(core);
    await core.ctx.db
      .updateTable('evidence')
      .set((eb) => ({
        check_state: eb
          .case()
          .when('id', '=', second.evidence.id)
          .then(sql.lit<'block' | 'ok'>('block'))
          .else(sql.lit<'block' | 'ok'>('ok'))
          .end(),
      }))
      .execute();

    cov = (await core.handlers['coverage.report']({ fromDay: yesterday, toDay: day, limit: 100 })) as CoverageReport;
    expect(cov.totals).toMatchObject({
      shipped: 4,
      shippedWithoutVideo: 2,
      returnsSigned: 1,
      returnsWithoutVideo: 0,
      blocked: 1,
    });
    expect(cov.gaps.map((g) => [g.kind, g.orderNo]).sort()).toEqual(
      [
        ['blocked-evidence', rows[1].orderNo],
        ['no-packing-video', rows[2].orderNo],
        ['no-packing-video', rows[3].orderNo],
      ].sort(),
    );
    expect(cov.gaps.find((g) => g.kind === 'blocked-evidence')).toMatchObject({
      station: 'A1',
      operator: '小王',
      evidenceId: second.evidence.id,
    });
    expect(cov.byStation).toEqual([
      { station: 'A1', operator: '小王', recordings: 3, photos: 0, ok: 2, warn: 0, blocked: 1, pending: 0 },
    ]);
    // a limit lists fewer but counts all
    const limited = (await core.handlers['coverage.report']({
      fromDay: yesterday,
      toDay: day,
      limit: 1,
    })) as CoverageReport;
    expect(limited).toMatchObject({ gapsTruncated: true, gaps: [expect.anything()] });
    // a passing fixed copy replaces the blocked original
    const ev = second.evidence;
    await core.ctx.db
      .insertInto('evidence')
      .values({
        id: newId(),
        order_id: ev.orderId,
        kind: 'video',
        origin: 'fixed',
        mode: 'outbound',
        path: `${ev.path}.fixed.mp4`,
        original_name: null,
        mime: null,
        sha256: ev.sha256,
        bytes: ev.bytes,
        duration_ms: null,
        width: null,
        height: null,
        station: ev.station,
        operator: ev.operator,
        captured_at: ev.capturedAt,
        parent_id: ev.id,
        check_state: 'ok',
        created_at: new Date().toISOString(),
        station_id: core.ctx.db.stationId,
        legacy_id: null,
      })
      .execute();
    cov = (await core.handlers['coverage.report']({ fromDay: yesterday, toDay: day, limit: 100 })) as CoverageReport;
    expect(cov.totals.blocked).toBe(0);

    // CSV export of every gap, for Excel: BOM, translated header
    const csv = (await core.handlers['coverage.exportCsv']({ fromDay: yesterday, toDay: day })) as { csv: string };
    expect(csv.csv.startsWith('\ufeff日期,类型,订单号')).toBe(true);
    expect(csv.csv.trim().split('\r\n')).toHaveLength(3);
    await core.close();
  });

  it('warns at the station when the order was recorded on an earlier day in the last 30 days', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'cli' });
    const seen = notices(core);
    const code = 'SF1231231231231';
    const first = await record(core, code, 'outbound');
    // the same day: a second part is normal, no warning
    await record(core, code, 'outbound');
    expect(seen.filter((n) => n.code === 'insight.notice.recordedBefore')).toEqual([]);
    // move the first recording 3 days back (as if recorded then), and 40 days for another order
    const back = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    await core.ctx.db
      .updateTable('recordings')
      .set({ started_at: back(3) })
      .where('id', '=', first.session.id)
      .execute();
    await record(core, code, 'outbound');
    const warn = seen.filter((n) => n.code === 'insight.notice.recordedBefore');
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ level: 'warn', params: { order: code } });
    expect(String(warn[0].params!.at)).toContain(localDay(new Date(back(3))));
    // a return of the same parcel is not a duplicate packing
    await record(core, code, 'return');
    expect(seen.filter((n) => n.code === 'insight.notice.recordedBefore')).toHaveLength(1);
    const old = await record(core, 'SF3213213213213', 'outbound');
    await core.ctx.db
      .updateTable('recordings')
      .set({ started_at: back(40) })
      .where('id', '=', old.session.id)
      .execute();
    await record(core, 'SF3213213213213', 'outbound');
    expect(seen.filter((n) => n.code === 'insight.notice.recordedBefore')).toHaveLength(1);
    await core.close();
  });
});
