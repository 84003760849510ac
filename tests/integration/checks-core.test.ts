import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FixJobResult } from '../../shared/api/calls/checks';
import type { JobSnapshot } from '../../shared/domain/types';
import { builtinProfile } from '../../shared/rules/builtin';
import { createCore, type Core } from '../../electron/core/core';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { sqlFor } from '../../electron/core/db/engine-sql';
import { readVersion } from '../../electron/core/db/migrate';
import { sha256File } from '../../electron/core/storage/files';
import { makeVideo, otherTrackingNo, sampleTrackingNo, sceneJpegFile } from '../fixtures';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

// The checks inside a real core: its database, background queue, events, fix jobs.
const tmp = useTempDirs();
const TN = sampleTrackingNo('YTO', 5);

async function until<T>(fn: () => T | null | undefined | Promise<T | null | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setup(mode: 'cli' | 'web' = 'web') {
  const core = await createCore({ dataDir: tmp(), mode });
  const events: { name: string; payload: unknown }[] = [];
  core.ctx.events.onAny((name, payload) => events.push({ name, payload }));
  const order = await findOrCreateOrder(core.ctx.db, TN, 'tracking');
  return { core, events, order };
}

const call = async <T>(core: Core, name: string, input: unknown): Promise<T> => {
  const r = await core.dispatch(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
};

describe(`automatic checks of saved and imported evidence (${testEngine})`, () => {
  it('checks a station photo in the background and stores the result', async () => {
    const { core, events, order } = await setup();
    const good = fs.readFileSync(await sceneJpegFile({ trackingNo: TN, width: 1600, height: 900 }));
    const ev = await core.handlers['capture.photo']({
      orderId: order.id,
      mode: 'return',
      mime: 'image/jpeg',
      data: good,
    });
    expect(ev.checkState).toBe('pending'); // saving never waits for the check
    const check = await until(async () => await core.handlers['checks.forEvidence']({ evidenceId: ev.id }));
    expect(check).toMatchObject({
      evidenceId: ev.id,
      state: 'ok',
      profile: { id: 'pdd', version: 1 },
      expectedCode: TN,
      findings: [],
    });
    expect(check.facts.label).toMatchObject({ matched: true });
    expect(events.filter((e) => e.name === 'evidence.changed').map((e) => e.payload)).toContainEqual({
      orderId: order.id,
      evidenceId: ev.id,
    });
    const detail = await core.handlers['orders.get']({ id: order.id });
    expect(detail.evidence[0].checkState).toBe('ok');

    const wrong = fs.readFileSync(
      await sceneJpegFile({ trackingNo: TN, variant: 'wrong-label', width: 1600, height: 900 }),
    );
    const ev2 = await core.handlers['capture.photo']({
      orderId: order.id,
      mode: 'return',
      mime: 'image/jpeg',
      data: wrong,
    });
    const c2 = await until(async () => await core.handlers['checks.forEvidence']({ evidenceId: ev2.id }));
    expect(c2.state).toBe('block');
    expect(c2.findings).toEqual([
      expect.objectContaining({ code: 'LABEL_MISMATCH', params: { expected: TN, found: otherTrackingNo(TN) } }),
    ]);
    // messages follow the UI language (zh-CN by default)
    expect(c2.findings[0].message).toContain('不一致');
    expect(await core.handlers['checks.forOrder']({ orderId: order.id })).toHaveLength(2);
    await core.close();
  });

  it('imported WebM: blocked, fixed by a job into a linked, checked MP4; the original kept', async () => {
    const { core, events, order } = await setup();
    const src = await makeVideo({ format: 'webm', durationSec: 3, width: 640, height: 360, audio: true });
    const ev = await call<{ id: string; path: string; sha256: string }>(core, 'evidence.import', {
      orderId: order.id,
      name: 'unboxing.webm',
      data: new Uint8Array(fs.readFileSync(src)),
    });
    const check = await until(async () => await core.handlers['checks.forEvidence']({ evidenceId: ev.id }));
    expect(check.findings.find((f) => f.code === 'FORMAT_NOT_ACCEPTED')).toMatchObject({
      severity: 'block',
      fix: 'transcode',
    });

    const started = await call<{ jobId: string; steps: string[]; parts: number }>(core, 'fixes.start', {
      evidenceId: ev.id,
    });
    expect(started).toMatchObject({ steps: ['transcode'], parts: 1 });
    const result = (await core.ctx.jobs.wait(started.jobId)) as FixJobResult;
    expect(result.sourceId).toBe(ev.id);
    const job = core.ctx.jobs.get(started.jobId);
    expect(job).toMatchObject({ kind: 'fix', status: 'done', progress: 1 });
    const updates = events
      .filter((e) => e.name === 'job.update')
      .map((e) => e.payload as JobSnapshot)
      .filter((j) => j.id === started.jobId);
    expect(updates[0].status).toBe('running');
    expect(updates.at(-1)!.elapsedMs).toBeGreaterThan(0);

    const outId = result.outputs[0].evidenceId;
    const out = (await core.handlers['orders.get']({ id: order.id })).evidence.find((e) => e.id === outId)!;
    expect(out).toMatchObject({ origin: 'fixed', parentId: ev.id, kind: 'video', mime: 'video/mp4' });
    expect(out.path).toMatch(/\.fixed-[0-9a-f]{6}\.mp4$/);
    expect(out.sha256).toBe(await sha256File(path.join(core.ctx.paths.root, out.path)));
    expect(await sha256File(path.join(core.ctx.paths.root, ev.path))).toBe(ev.sha256); // original untouched
    const link = await core.ctx.db
      .selectFrom('fix_outputs')
      .selectAll()
      .where('evidence_id', '=', outId)
      .executeTakeFirst();
    expect(link).toMatchObject({ source_id: ev.id, part: 1, parts: 1, profile_id: 'pdd', steps: '["transcode"]' });
    const outCheck = await until(async () => await core.handlers['checks.forEvidence']({ evidenceId: outId }));
    expect(outCheck.state).not.toBe('block');
    const audit = await core.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'evidence.fixed')
      .execute();
    expect(JSON.parse(audit[0].details)).toMatchObject({ sourceId: ev.id, sha256: out.sha256, steps: ['transcode'] });
    expect((await verifyAudit(core.ctx.db)).ok).toBe(true);

    // a compliant file: the call says so at once, no job is started
    await expect(call(core, 'fixes.start', { evidenceId: outId })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'nothing' },
    });
    await core.close();
  });

  it('a fix job can be cancelled (nothing left behind) and retried', async () => {
    const { core, order } = await setup();
    const src = await makeVideo({ format: 'webm', durationSec: 30, width: 640, height: 360 });
    const ev = await call<{ id: string }>(core, 'evidence.import', {
      orderId: order.id,
      name: 'long.webm',
      data: new Uint8Array(fs.readFileSync(src)),
    });
    const { jobId } = await call<{ jobId: string }>(core, 'fixes.start', { evidenceId: ev.id });
    // cancel while ffmpeg is writing (it has reported progress), however fast or busy the machine
    await until(() => {
      const { status, progress } = core.ctx.jobs.get(jobId);
      if (status !== 'running') throw new Error(`the fix ended (${status}) before it could be cancelled`);
      return (progress ?? 0) > 0;
    });
    expect(await core.handlers['jobs.cancel']({ id: jobId })).toBeTruthy();
    await expect(core.ctx.jobs.wait(jobId)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(core.ctx.jobs.get(jobId)).toMatchObject({ status: 'cancelled', retryable: true });
    const count = async () =>
      (
        await core.ctx.db
          .selectFrom('evidence')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    expect(await count()).toBe(1);
    expect(fs.readdirSync(core.ctx.paths.tmp).filter((f) => f.startsWith('.fix-'))).toEqual([]);

    await core.handlers['jobs.retry']({ id: jobId });
    const result = (await core.ctx.jobs.wait(jobId)) as FixJobResult;
    expect(result.outputs).toHaveLength(1);
    expect(await count()).toBe(2);
    await core.close();
  });
});

describe(`rule profiles in settings (${testEngine})`, () => {
  it('validates, versions, re-judges stored results without reading files, and reverts', async () => {
    const { core, order } = await setup('cli');
    const src = await makeVideo({ format: 'mp4', durationSec: 3, width: 1280, height: 720 });
    const ev = await call<{ id: string }>(core, 'evidence.import', {
      orderId: order.id,
      name: 'ok.mp4',
      data: new Uint8Array(fs.readFileSync(src)),
    });
    const first = await call<{ state: string }>(core, 'checks.run', { evidenceId: ev.id });
    expect(first.state).not.toBe('block');

    const list = await call<{ id: string; isDefault: boolean; builtIn: boolean }[]>(core, 'profiles.list', {});
    expect(list.map((p) => [p.id, p.isDefault, p.builtIn])).toEqual([
      ['pdd', true, true],
      ['shopee', false, true],
    ]);

    const bad = await core.dispatch('profiles.save', {
      profile: {
        ...builtinProfile('pdd'),
        id: 'strict',
        video: { ...builtinProfile('pdd')!.video, maxDurationSec: { value: 0, basis: 'assumed' } },
      },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { issues: [{ path: 'video.maxDurationSec.value' }] } },
    });

    const strictData = {
      ...builtinProfile('pdd')!,
      id: 'strict',
      name: { 'zh-CN': '严格', en: 'Strict' },
      video: { ...builtinProfile('pdd')!.video, maxDurationSec: { value: 2, basis: 'assumed' } },
    };
    expect(await call(core, 'profiles.save', { profile: strictData })).toMatchObject({ id: 'strict', version: 1 });
    // saving without a change keeps the version; a change makes the next one
    expect(await call(core, 'profiles.save', { profile: strictData })).toMatchObject({ version: 1 });
    const renamed = { ...strictData, name: { 'zh-CN': '严格（仓库 A）', en: 'Strict (warehouse A)' } };
    expect(await call(core, 'profiles.save', { profile: renamed })).toMatchObject({ version: 2 });

    // switching the station to the strict profile re-judges the stored facts at once
    await call(core, 'settings.update', { profileId: 'strict' });
    expect(await call(core, 'checks.reevaluate', {})).toEqual({ count: 1 });
    const rejudged = await call<{
      state: string;
      profile: { id: string; version: number };
      findings: { code: string }[];
    }>(core, 'checks.forEvidence', { evidenceId: ev.id });
    expect(rejudged).toMatchObject({ state: 'block', profile: { id: 'strict', version: 2 } });
    expect(rejudged.findings.map((f) => f.code)).toContain('VIDEO_TOO_LONG');

    // an edited built-in is a stored copy; delete reverts it
    const pdd = {
      ...builtinProfile('pdd')!,
      video: { ...builtinProfile('pdd')!.video, minShortSidePx: { value: 1080, basis: 'assumed' } },
    };
    expect(await call(core, 'profiles.save', { profile: pdd })).toMatchObject({ id: 'pdd', version: 2 });
    expect(
      (await call<{ id: string; customized: boolean }[]>(core, 'profiles.list', {})).find((p) => p.id === 'pdd')
        ?.customized,
    ).toBe(true);
    await call(core, 'profiles.delete', { id: 'pdd' });
    expect(await call(core, 'profiles.get', { id: 'pdd' })).toMatchObject({
      version: 1,
      video: { minShortSidePx: { value: 720 } },
    });
    await expect(call(core, 'profiles.delete', { id: 'pdd' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await core.close();
  });

  it('migration 2 created the check tables', async () => {
    const { core } = await setup('cli');
    const tables = await sqlFor(core.ctx.db).listTables(core.ctx.db);
    expect(tables).toEqual(
      expect.arrayContaining(['evidence_checks', 'check_findings', 'rule_profiles', 'fix_outputs']),
    );
    expect(await readVersion(core.ctx.db)).toBeGreaterThanOrEqual(2);
    await core.close();
  });
});
