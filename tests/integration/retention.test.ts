import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { createCore, type Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { insertEvidence } from '../../electron/core/evidence/evidence-repo';
import { runRetention } from '../../electron/core/storage/retention';
import type { RetentionReport } from '../../shared/api/calls/storage';
import type { Evidence } from '../../shared/domain/types';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { rowsOf, valueOf } from '../helpers/raw-sql';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';
import { sql } from 'kysely';

const tmp = useTempDirs();
const DAY = 86_400_000;
const ROOT = path.resolve(__dirname, '..', '..');
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

async function footage(
  core: Core,
  media: string,
  code: string,
  mode: 'outbound' | 'return',
  kind: 'video' | 'photo',
  ageDays: number,
): Promise<Evidence> {
  let ev: Evidence;
  if (kind === 'video') {
    const { chunks } = recorderLikeStream(media, 1, { width: 320, height: 240 });
    const s = await core.handlers['capture.start']({ code, mode, mime: 'video/mp4;codecs=avc1' });
    let seq = 0;
    for (const data of chunks) await core.handlers['capture.chunk']({ recordingId: s.id, seq: seq++, data });
    ev = await core.handlers['capture.stop']({ recordingId: s.id });
  } else {
    const order = await core.ctx.db.selectFrom('orders').select('id').where('order_no', '=', code).executeTakeFirst();
    const orderId = order?.id ?? (await core.handlers['capture.start']({ code, mode, mime: 'video/mp4' })).orderId;
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 90, b: 30 } } })
      .jpeg()
      .toBuffer();
    ev = await core.handlers['capture.photo']({ orderId, mode, mime: 'image/jpeg', data: new Uint8Array(jpeg) });
  }
  await core.ctx.db
    .updateTable('evidence')
    .set({ captured_at: ago(ageDays) })
    .where('id', '=', ev.id)
    .execute();
  return ev;
}

const count = async (core: Core, text: string, ...p: unknown[]) => Number(await valueOf(core.ctx.db, text, ...p));
const ids = (r: RetentionReport) => r.items.map((i) => i.evidenceId).sort();

describe(`retention (${testEngine}, real files)`, () => {
  it('deletes old footage no case needs, keeps pinned and referenced files, audits every deletion; the dry run shows exactly that', async () => {
    const dir = tmp();
    const media = tmp('pp-media-');
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const h = core.handlers;
    await h['settings.update']({
      storage: { reserveBytes: 0, retentionEnabled: true, retentionDays: { outbound: 60, return: 30 } },
    });

    const oldOutbound = await footage(core, media, 'RET-OLD-OUT', 'outbound', 'video', 61);
    const youngOutbound = await footage(core, media, 'RET-YOUNG-OUT', 'outbound', 'video', 59);
    const oldReturnPhoto = await footage(core, media, 'RET-MIX', 'return', 'photo', 40);
    const outboundPhoto40 = await footage(core, media, 'RET-MIX', 'outbound', 'photo', 40);
    const openCase = await footage(core, media, 'RET-OPEN-CASE', 'outbound', 'video', 90);
    const closedRecently = await footage(core, media, 'RET-WON-RECENT', 'outbound', 'video', 90);
    const closedLongAgo = await footage(core, media, 'RET-LOST-OLD', 'outbound', 'video', 90);
    const referenced = await footage(core, media, 'RET-REFERENCED', 'outbound', 'video', 70);
    const parent = await footage(core, media, 'RET-FAMILY', 'outbound', 'video', 70);

    // a fixed file derived from `parent`, the way the fixer records one
    const childRel = parent.path.replace(/\.mp4$/, '-fixed.mp4');
    fs.copyFileSync(path.join(dir, parent.path), path.join(dir, childRel));
    const childId = await insertEvidence(core.ctx.db, {
      ...parent,
      origin: 'fixed',
      path: childRel,
      parentId: parent.id,
      capturedAt: ago(70),
      originalName: null,
    });
    await core.ctx.db
      .insertInto('fix_outputs')
      .values({
        evidence_id: childId,
        source_id: parent.id,
        steps: '[]',
        part: 1,
        parts: 1,
        source_start_ms: null,
        source_end_ms: null,
        profile_id: 'pdd',
        profile_version: 1,
        job_id: null,
        created_at: ago(70),
      })
      .execute();

    // an imported document is never footage
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const imported = (
      await importEvidence(core.ctx, {
        orderId: oldOutbound.orderId,
        originalName: 'voucher.png',
        source: { bytes: new Uint8Array(jpeg) },
      })
    ).evidence;
    await core.ctx.db
      .updateTable('evidence')
      .set({ captured_at: ago(200) })
      .where('id', '=', imported.id)
      .execute();

    // cases: open → pinned; won 3 days ago → inside the appeal window; lost 30 days ago → not pinned
    await h['cases.create']({ orderId: openCase.orderId, appealType: 'goods', scenario: 'damaged' });
    const won = await h['cases.create']({ orderId: closedRecently.orderId, appealType: 'goods', scenario: 'damaged' });
    const lost = await h['cases.create']({ orderId: closedLongAgo.orderId, appealType: 'goods', scenario: 'damaged' });
    await h['cases.link']({ caseId: lost.case.id, requirement: 'unboxing-video', evidenceId: closedLongAgo.id });
    await core.ctx.db
      .updateTable('cases')
      .set({ status: 'won', updated_at: ago(3) })
      .where('id', '=', won.case.id)
      .execute();
    await core.ctx.db
      .updateTable('cases')
      .set({ status: 'lost', updated_at: ago(30), appeal_due_at: ago(25) })
      .where('id', '=', lost.case.id)
      .execute();

    // something this suite does not know refers to a file: it must not break
    await sql`CREATE TABLE other_refs (evidence_id TEXT REFERENCES evidence(id))`.execute(core.ctx.db);
    await sql`INSERT INTO other_refs VALUES (${referenced.id})`.execute(core.ctx.db);

    const expected = [oldOutbound.id, oldReturnPhoto.id, closedLongAgo.id, parent.id, childId].sort();
    const before = {
      evidence: await count(core, 'SELECT COUNT(*) AS n FROM evidence'),
      audit: await count(core, 'SELECT COUNT(*) AS n FROM audit_log'),
    };

    // dry run: exactly what a run would do, nothing changed
    const dry = await runRetention(core.ctx, { dryRun: true, now });
    expect(ids(dry)).toEqual(expected);
    expect(dry.deletedBytes).toBe(dry.items.reduce((n, i) => n + i.bytes, 0));
    expect(dry.pinnedCount).toBe(2);
    expect(dry.skipped).toEqual([{ evidenceId: referenced.id, path: referenced.path, reason: 'in-use' }]);
    expect(await count(core, 'SELECT COUNT(*) AS n FROM evidence')).toBe(before.evidence);
    expect(await count(core, 'SELECT COUNT(*) AS n FROM audit_log')).toBe(before.audit);
    expect(await count(core, 'SELECT COUNT(*) AS n FROM case_links')).toBe(1);
    for (const i of dry.items) expect(fs.existsSync(path.join(dir, i.path))).toBe(true);

    // the CLI's dry run agrees (same data folder, another process)
    const cli = JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(ROOT, 'electron/cli/index.ts'),
          'retention',
          '--data-dir',
          dir,
          '--dry-run',
          '--json',
        ],
        { cwd: ROOT, encoding: 'utf8' },
      ),
    ) as RetentionReport;
    expect(ids(cli)).toEqual(expected);

    // the real run, as the app runs it: a job
    const job = await h['storage.retentionRun']({});
    const report = (await core.ctx.jobs.wait(job.id)) as RetentionReport;
    expect(ids(report)).toEqual(expected);
    for (const i of report.items) expect(fs.existsSync(path.join(dir, i.path))).toBe(false);
    for (const e of [youngOutbound, outboundPhoto40, openCase, closedRecently, referenced, imported]) {
      expect(fs.existsSync(path.join(dir, e.path))).toBe(true);
    }
    expect(await count(core, 'SELECT COUNT(*) AS n FROM evidence')).toBe(before.evidence - expected.length);
    expect(await count(core, 'SELECT COUNT(*) AS n FROM purged_evidence')).toBe(expected.length);
    expect(await count(core, 'SELECT COUNT(*) AS n FROM case_links')).toBe(0);
    expect(await count(core, 'SELECT COUNT(*) AS n FROM cases WHERE id = ?', lost.case.id)).toBe(1);
    expect(
      await count(core, `SELECT COUNT(*) AS n FROM recordings WHERE evidence_id IS NULL AND status = 'finalized'`),
    ).toBe(3); // the three videos' recordings
    const audited = await rowsOf<{ entity_id: string; details: string }>(
      core.ctx.db,
      "SELECT entity_id, details FROM audit_log WHERE action = 'evidence.deleted'",
    );
    expect(audited.map((a) => a.entity_id).sort()).toEqual(expected);
    expect(JSON.parse(audited.find((a) => a.entity_id === oldOutbound.id)!.details)).toMatchObject({
      sha256: oldOutbound.sha256,
      reason: 'retention',
      path: oldOutbound.path,
    });
    expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
    if (core.ctx.db.engine === 'sqlite') expect(await valueOf(core.ctx.db, 'PRAGMA integrity_check')).toBe('ok');
    // the folder of an order whose files all went is gone too
    expect(fs.existsSync(path.dirname(path.join(dir, oldReturnPhoto.path)))).toBe(true); // RET-MIX keeps its outbound photo
    expect(fs.existsSync(path.dirname(path.join(dir, closedLongAgo.path)))).toBe(false);

    // nothing left to do
    expect((await runRetention(core.ctx, { dryRun: true, now })).deletedCount).toBe(0);
    await core.close();
  });

  it('does nothing when retention is turned off', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const ev = await footage(core, tmp('pp-media-'), 'RET-OFF', 'outbound', 'photo', 400);
    await core.handlers['settings.update']({
      storage: { reserveBytes: 0, retentionEnabled: false, retentionDays: { outbound: 1, return: 1 } },
    });
    const r = await runRetention(core.ctx, { dryRun: false, now });
    expect(r).toMatchObject({ enabled: false, deletedCount: 0 });
    expect(fs.existsSync(path.join(dir, ev.path))).toBe(true);
    await core.close();
  });
});
