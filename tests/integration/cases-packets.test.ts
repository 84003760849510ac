import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { complianceHooks } from '../../electron/core/packets/compliance';
import { verifyPacket } from '../../electron/core/packets/verify';
import { probe } from '../../electron/core/media/ffmpeg';
import type { CaseDetail, ExportResult } from '../../shared/domain/cases';
import type { BatchExportResult } from '../../electron/core/packets/packet-service';
import { makeVideo, sceneJpegFile } from '../fixtures';
import { useTempDirs } from '../helpers/temp';
import { zipEntries } from '../helpers/zip';
import { testEngine } from '../helpers/test-db';
import { call } from '../helpers/core-call';

const tmp = useTempDirs();
const ORDER = '241124-000000000000777';
const TRACKING = 'SF1234567890777';

/** Wait until the background checks of every file of the order have stored a result. */
async function settle(core: Core, detail: CaseDetail): Promise<CaseDetail> {
  const check = complianceHooks(core.ctx).check!;
  for (const e of detail.evidence) await check(e.id, new AbortController().signal);
  return call<CaseDetail>(core, 'cases.get', { id: detail.case.id });
}

async function importFile(core: Core, orderId: string, file: string, caseId: string, requirement: string) {
  return call<{ id: string }>(core, 'evidence.import', {
    orderId,
    caseId,
    requirement,
    name: path.basename(file),
    data: new Uint8Array(fs.readFileSync(file)),
  });
}

/** A goods × damaged case with every required file, through the contract (as the UI does). */
async function completeGoodsCase(core: Core) {
  const created = await call<CaseDetail>(core, 'cases.create', {
    orderNo: ORDER,
    trackingNo: TRACKING,
    appealType: 'goods',
    scenario: 'damaged',
    signForAt: '2026-11-24T10:00:00+08:00',
    refundAt: '2026-11-24T12:00:00+08:00',
    amountClaimedCents: 4990,
  });
  expect(created.checklist.missing).toEqual(['unboxing-video', 'item-label-photo', 'problem-photo', 'product-voucher']);
  const orderId = created.order.id;
  const video = await makeVideo({ format: 'mp4', durationSec: 2 });
  const photo = await sceneJpegFile({ trackingNo: TRACKING, width: 800, height: 600 });
  const pdf = path.join(tmp('pp-doc-'), 'invoice.pdf');
  fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  await importFile(core, orderId, video, created.case.id, 'unboxing-video');
  await importFile(core, orderId, photo, created.case.id, 'item-label-photo');
  await importFile(core, orderId, photo.replace(/\.jpg$/, '.jpg'), created.case.id, 'problem-photo');
  await importFile(core, orderId, pdf, created.case.id, 'product-voucher');
  return settle(core, await call<CaseDetail>(core, 'cases.get', { id: created.case.id }));
}

const folderFiles = (dir: string) =>
  Object.fromEntries(fs.readdirSync(dir).map((n) => [n, fs.readFileSync(path.join(dir, n))]));

describe(`cases and packets (${testEngine}, real ffmpeg, real files)`, () => {
  it('a case turns ready as documents arrive; export → verify round trip; tampering is detected', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    try {
      const detail = await completeGoodsCase(core);
      expect(detail.checklist.complete).toBe(true);
      expect(detail.case.status).toBe('ready');
      expect(detail.case.evidenceDueAt).toBe('2026-11-25T02:00:00.000Z');
      expect(detail.case.appealDueAt).toBe('2026-12-01T04:00:00.000Z');
      // the photo dropped twice was kept once and linked to both items
      expect(detail.evidence).toHaveLength(3);

      const out = tmp('pp-out-');
      const { jobId } = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [detail.case.id],
        zip: true,
        outDir: out,
      });
      const batch = (await core.ctx.jobs.wait(jobId)) as BatchExportResult;
      const r0 = batch.results[0];
      if (!r0.ok) throw new Error(r0.error.message);
      const result: ExportResult = r0.result;
      const packetDir = result.packet.dir;
      expect(path.basename(packetDir)).toBe(`申诉包_${ORDER}_案件${detail.case.id.replace(/-/g, '').slice(-8)}`);
      expect(fs.readdirSync(packetDir).sort()).toEqual(
        [
          '01_拆包视频.mp4',
          '02_商品与面单合照.jpg',
          '03_问题细节图.jpg',
          '04_商品凭证.pdf',
          'manifest.json',
          '申诉摘要.pdf',
          '申诉说明.txt',
        ].sort(),
      );
      const manifest = JSON.parse(fs.readFileSync(path.join(packetDir, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({
        format: 'proofpack-packet',
        app: { name: 'ProofPack' },
        profile: { id: 'pdd', version: '1' },
        order: { orderNo: ORDER, trackingNo: TRACKING },
        case: { id: detail.case.id, appealType: 'goods', status: 'exported', amountClaimed: '49.90' },
      });
      const video = manifest.files.find((f: { name: string }) => f.name === '01_拆包视频.mp4');
      expect(video).toMatchObject({ kind: 'video', requirement: 'unboxing-video', mode: 'return', origin: 'imported' });
      expect(video.durationMs).toBeGreaterThan(1500);
      expect(video.capturedAt).toMatch(/Z$/);
      expect(fs.readFileSync(path.join(packetDir, '申诉说明.txt'), 'utf8')).toContain('申诉类型：货款申诉');

      // the packet and its files are recorded; the case moved on
      const after = await call<CaseDetail>(core, 'cases.get', { id: detail.case.id });
      expect(after.case.status).toBe('exported');
      expect(after.packets).toHaveLength(1);
      expect(after.packets[0]).toMatchObject({ fileCount: 6, verifyOk: true });

      // verify: folder and zip, and the zip holds exactly the folder's files
      expect((await verifyPacket(packetDir)).ok).toBe(true);
      expect(await verifyPacket(result.packet.zip!)).toMatchObject({ ok: true, kind: 'zip', checked: 6 });
      const zipped = await zipEntries(result.packet.zip!);
      const inFolder = folderFiles(packetDir);
      expect([...zipped.keys()].sort()).toEqual(Object.keys(inFolder).sort());
      for (const [name, bytes] of zipped) expect(bytes.equals(inFolder[name]), name).toBe(true);

      // re-export with the same inputs changes nothing
      const pdfMtime = fs.statSync(path.join(packetDir, '申诉摘要.pdf')).mtimeMs;
      const zipBytes = fs.readFileSync(result.packet.zip!);
      const again = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [detail.case.id],
        zip: true,
        outDir: out,
      });
      const r1 = ((await core.ctx.jobs.wait(again.jobId)) as BatchExportResult).results[0];
      expect(r1.ok && r1.result.unchanged).toBe(true);
      expect(fs.statSync(path.join(packetDir, '申诉摘要.pdf')).mtimeMs).toBe(pdfMtime);
      expect(fs.readFileSync(result.packet.zip!).equals(zipBytes)).toBe(true);
      expect(
        await core.ctx.db
          .selectFrom('packets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
      ).toEqual({ n: 1 });

      // one changed byte, one removed file, one extra file
      const copy = tmp('pp-tamper-');
      fs.cpSync(packetDir, copy, { recursive: true });
      const photoFile = path.join(copy, '02_商品与面单合照.jpg');
      const bytes = fs.readFileSync(photoFile);
      bytes[Math.floor(bytes.length / 2)] ^= 0x01;
      fs.writeFileSync(photoFile, bytes);
      let rep = await verifyPacket(copy);
      expect(rep.ok).toBe(false);
      expect(rep.changed.map((c) => c.name)).toEqual(['02_商品与面单合照.jpg']);
      expect(rep.missing).toEqual([]);
      expect(rep.extra).toEqual([]);
      fs.rmSync(path.join(copy, '04_商品凭证.pdf'));
      fs.writeFileSync(path.join(copy, 'extra.jpg'), 'x');
      rep = await verifyPacket(copy);
      expect(rep).toMatchObject({ ok: false, missing: ['04_商品凭证.pdf'], extra: ['extra.jpg'] });
      fs.rmSync(path.join(copy, 'manifest.json'));
      expect(await verifyPacket(copy)).toMatchObject({ ok: false, manifestOk: false });

      // the same through the contract by packet id (recorded in SQLite and the audit log)
      fs.appendFileSync(path.join(packetDir, '申诉说明.txt'), 'x');
      const reports = await call<{ ok: boolean }[]>(core, 'packets.verify', { packetId: after.packets[0].id });
      expect(reports.map((r) => r.ok)).toEqual([false, true]);
      expect((await call<CaseDetail>(core, 'cases.get', { id: detail.case.id })).packets[0].verifyOk).toBe(false);
      // a damaged packet is rebuilt by the next export
      const rebuilt = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [detail.case.id],
        zip: true,
        outDir: out,
      });
      const r2 = ((await core.ctx.jobs.wait(rebuilt.jobId)) as BatchExportResult).results[0];
      expect(r2.ok && r2.result.unchanged).toBe(false);
      expect((await verifyPacket(packetDir)).ok).toBe(true);
      expect(fs.readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('the summary PDF embeds a CJK font: Chinese is extractable and renders', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    try {
      const detail = await completeGoodsCase(core);
      const out = tmp('pp-out-');
      const r = await new (await import('../../electron/core/packets/packet-service')).PacketService(
        core.ctx,
        new (await import('../../electron/core/cases/case-service')).CaseService(core.ctx),
      ).exportOne(
        detail.case.id,
        { outDir: out, zip: false },
        { signal: new AbortController().signal, progress: () => undefined },
      );
      const pdf = path.join(r.packet.dir, '申诉摘要.pdf');
      expect(fs.statSync(pdf).size).toBeLessThan(1_000_000); // subset font: not the 8 MB original
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
      for (const s of [
        '申诉摘要',
        '案件信息',
        '货款申诉',
        '商品损坏',
        '证据清单',
        '拆包视频',
        '商品与面单合照',
        ORDER,
      ]) {
        expect(text, s).toContain(s);
      }
      const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
      // embedded (emb) with a ToUnicode map (uni); the size check above shows it is a subset
      expect(fonts).toMatch(/NotoSansHans\S*\s+CID Type 0C\s+Identity-H\s+yes\s+\S+\s+yes/);
      // rendered, the title region holds dark text pixels
      const pngBase = path.join(tmp('pp-png-'), 'page');
      execFileSync('pdftoppm', ['-r', '72', '-png', '-f', '1', '-l', '1', pdf, pngBase]);
      const png = fs.readdirSync(path.dirname(pngBase)).find((n) => n.endsWith('.png'))!;
      const { data, info } = await sharp(path.join(path.dirname(pngBase), png))
        .extract({ left: 40, top: 40, width: 120, height: 30 }) // "申诉摘要" at 18 pt
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const dark = [...data].filter((v) => v < 100).length;
      expect(dark / (info.width * info.height)).toBeGreaterThan(0.05);
    } finally {
      await core.close();
    }
  });

  it('fixes a failing video through the checks during export; reports what cannot be fixed', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    try {
      const c = await call<CaseDetail>(core, 'cases.create', {
        orderNo: ORDER,
        appealType: 'fast-refund',
        scenario: 'wrong-item',
      });
      expect(c.case.fastRefund).toBe(true);
      const webm = await makeVideo({ format: 'webm', durationSec: 2 });
      const ev = await importFile(core, c.order.id, webm, c.case.id, 'packing-video');
      let d = await settle(core, await call<CaseDetail>(core, 'cases.get', { id: c.case.id }));
      const packing = d.checklist.items.find((i) => i.requirement === 'packing-video')!;
      expect(packing.state).toBe('failing'); // WebM is not an accepted format
      expect(d.checklist.complete).toBe(false);
      const photo = await sceneJpegFile({ trackingNo: TRACKING, width: 800, height: 600 });
      await importFile(core, c.order.id, photo, c.case.id, 'item-label-photo');
      await importFile(core, c.order.id, photo, c.case.id, 'logistics-proof');
      d = await settle(core, await call<CaseDetail>(core, 'cases.get', { id: c.case.id }));
      expect(d.checklist.failing).toEqual(['packing-video']);

      const out = tmp('pp-out-');
      const { jobId } = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [c.case.id],
        zip: false,
        outDir: out,
      });
      const r = ((await core.ctx.jobs.wait(jobId)) as BatchExportResult).results[0];
      if (!r.ok) throw new Error(r.error.message);
      expect(r.result.fixed.length).toBeGreaterThan(0);
      const vid = r.result.files.find((f) => f.requirement === 'packing-video')!;
      expect(vid.name).toBe('01_发货打包视频.mp4');
      expect(vid.evidenceId).not.toBe(ev.id);
      const p = await probe(path.join(r.result.packet.dir, vid.name));
      expect(p.streams.find((s) => s.codec_type === 'video')!.codec_name).toBe('h264');
      const manifest = JSON.parse(fs.readFileSync(path.join(r.result.packet.dir, 'manifest.json'), 'utf8'));
      expect(manifest.files.find((f: { name: string }) => f.name === vid.name)).toMatchObject({
        sourceEvidenceId: ev.id,
        origin: 'fixed',
      });

      // a document the rules refuse and no fix can change: export refuses, or reports it when allowed
      const c2 = await call<CaseDetail>(core, 'cases.create', {
        orderNo: ORDER,
        appealType: 'shipping',
        scenario: 'shipping-fee',
        amountClaimedCents: 1200,
      });
      const big = path.join(tmp('pp-doc-'), 'voucher.pdf');
      fs.writeFileSync(big, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 0x20)]));
      await importFile(core, c2.order.id, big, c2.case.id, 'freight-voucher');
      await importFile(core, c2.order.id, photo, c2.case.id, 'weighing-photo');
      const d2 = await settle(core, await call<CaseDetail>(core, 'cases.get', { id: c2.case.id }));
      expect(d2.checklist.failing).toEqual(['freight-voucher']);
      const refused = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [c2.case.id],
        zip: false,
        outDir: out,
      });
      await expect(core.ctx.jobs.wait(refused.jobId)).rejects.toThrow(/运费凭证/);
      const forced = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [c2.case.id],
        zip: false,
        outDir: out,
        allowIncomplete: true,
      });
      const rf = ((await core.ctx.jobs.wait(forced.jobId)) as BatchExportResult).results[0];
      if (!rf.ok) throw new Error(rf.error.message);
      expect(rf.result.problems).toEqual([
        expect.objectContaining({ requirement: 'freight-voucher', reason: 'failing' }),
      ]);
      expect(rf.result.files.some((f) => f.requirement === 'freight-voucher')).toBe(false);
    } finally {
      await core.close();
    }
  });

  it('batch export: several cases, one job with one progress; bad cases fail alone', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    try {
      const a = await completeGoodsCase(core);
      const b = await call<CaseDetail>(core, 'cases.create', {
        orderNo: 'OTHER-1',
        appealType: 'responsibility',
        scenario: 'other',
      });
      const out = tmp('pp-out-');
      const progress: number[] = [];
      const off = core.ctx.events.onAny((ev, p) => {
        if (ev === 'job.update' && (p as { kind: string }).kind === 'packet.export')
          progress.push((p as { progress: number }).progress);
      });
      const { jobId } = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [a.case.id, b.case.id],
        zip: true,
        outDir: out,
      });
      const res = (await core.ctx.jobs.wait(jobId)) as BatchExportResult;
      off();
      expect(res.results.map((r) => r.ok)).toEqual([true, false]);
      expect(res.results[1]).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(progress.at(-1)).toBe(1);
      expect(core.ctx.jobs.get(jobId).status).toBe('done');
    } finally {
      await core.close();
    }
  });

  it('an evidence file changed on disk after it was recorded never goes into a packet', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    try {
      const d = await completeGoodsCase(core);
      const voucher = d.evidence.find((e) => e.kind === 'document')!;
      fs.appendFileSync(path.join(dir, voucher.path), 'edited');
      const out = tmp('pp-out-');
      const { jobId } = await call<{ jobId: string }>(core, 'packets.export', {
        caseIds: [d.case.id],
        zip: false,
        outDir: out,
      });
      await expect(core.ctx.jobs.wait(jobId)).rejects.toThrow(/哈希不一致/);
      expect(fs.readdirSync(out)).toEqual([]); // nothing half-written is left
      const audit = await core.ctx.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'evidence.hash-mismatch')
        .execute();
      expect(audit).toEqual([{ entity_id: voucher.id }]);
    } finally {
      await core.close();
    }
  });
});
