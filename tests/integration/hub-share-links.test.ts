import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { addUser } from '../../electron/core/accounts/users';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { createShareLink, listShareLinks, revokeShareLink } from '../../electron/core/hub/share-links';
import { sha256File } from '../../electron/core/storage/files';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeVideo } from '../fixtures';
import { useHubCores } from '../helpers/hub-cores';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { staffFetch } from '../helpers/staff-session';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const { core, serve } = useHubCores(tmp);
const T0 = new Date('2026-12-04T08:00:00.000Z');
let now = T0;
const clock = () => now;
const PW = 'correct horse battery';
let s3: TestS3 | null = null;

/** A hub with two stations; station 2 recorded order PDD-A for shop A and PDD-B for shop B, both synced. */
async function warehouse() {
  now = T0;
  const hub = await core();
  const server = await serve({ core: hub, clock, media: s3 ? `s3://${s3.bucket}/wh` : undefined });
  const stations: Core[] = [];
  for (const name of ['打包台 1', '打包台 2']) {
    const station = await core();
    const { code } = await createPairingCode(hub.ctx.db, name, T0);
    await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
    stations.push(station);
  }
  const station2 = stations[1]!;
  const video = await makeVideo({ format: 'mp4', durationSec: 4 });
  for (const [orderNo, shop] of [
    ['PDD-A/1', 'A店'],
    ['PDD-B', 'B店'],
  ] as const) {
    const order = await findOrCreateOrderByNumber(station2.ctx.db, orderNo, null, T0);
    await station2.ctx.db.updateTable('orders').set({ shop }).where('id', '=', order.id).execute();
    await importEvidence(station2.ctx, { orderId: order.id, originalName: 'pack.mp4', source: { path: video } });
  }
  const sync = await syncNow(station2.ctx.db, station2.ctx.paths.root, { now: clock });
  expect(sync).toMatchObject({ verified: 2, failed: 0 });
  const base = server.url.replace(/\/$/, '');
  return { hub, base, video, videoHash: await sha256File(video), size: fs.statSync(video).size };
}

const signedIn = (base: string, name: string) => staffFetch(base, name, PW);

describe.each(['folder', 's3'] as const)(`share links and playback on the hub (${testEngine}, media: %s)`, (kind) => {
  const saved = { ...process.env };
  beforeAll(async () => {
    if (kind !== 's3') return;
    s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-share-')));
    Object.assign(process.env, s3.env);
  });
  afterAll(async () => {
    for (const k of Object.keys(s3?.env ?? {})) if (saved[k] === undefined) delete process.env[k];
    await s3?.close();
    s3 = null;
  });

  it('a link shows the order’s files with station and SHA-256, streams ranges, logs each opening, and ends on revoke', async () => {
    const { hub, base, videoHash, size } = await warehouse();
    const made = await createShareLink(hub.ctx.db, { orderNo: 'PDD-A/1', download: true }, null, T0);
    expect(made.token).toMatch(/^[\w-]{43}$/); // 256 random bits
    expect(made.expiresAt).toBe('2026-12-11T08:00:00.000Z'); // 7 days by default

    const page = await fetch(`${base}/s/${made.token}`, {
      headers: { 'user-agent': 'PhoneBrowser/1.0', 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('订单 PDD-A/1 的发货凭证');
    expect(html).toContain(videoHash);
    expect(html).toContain('打包台 2');
    expect(html).toContain('name="viewport"');
    expect(html).not.toContain('PDD-B'); // the other order of the same station is not on it
    const src = /<video[^>]* src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');

    // a player seeking into the video asks for a range: only those bytes come back
    const part = await fetch(`${base}${src}`, { headers: { range: `bytes=1000-1999` } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${size}`);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect((await part.arrayBuffer()).byteLength).toBe(1000);
    expect((await fetch(`${base}${src}`, { headers: { range: `bytes=${size}-` } })).status).toBe(416);
    const whole = await fetch(`${base}${src}?download=1`, { headers: { 'user-agent': 'PhoneBrowser/1.0' } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    const { createHash } = await import('node:crypto');
    expect(
      createHash('sha256')
        .update(Buffer.from(await whole.arrayBuffer()))
        .digest('hex'),
    ).toBe(videoHash);

    const [link] = await listShareLinks(hub.ctx.db, 'PDD-A/1', null, T0);
    expect(link).toMatchObject({ id: made.id, state: 'active', download: true, createdBy: 'cli' });
    expect(link!.opens.map((o) => [o.what, o.agent])).toEqual([
      ['page', 'PhoneBrowser/1.0'],
      ['download', 'PhoneBrowser/1.0'],
    ]);
    expect(link!.opens[0]!.address).toMatch(/127\.0\.0\.1/);

    await revokeShareLink(hub.ctx.db, made.id, null, T0);
    const gone = await fetch(`${base}/s/${made.token}`, { headers: { 'accept-language': 'en' } });
    expect(gone.status).toBe(410);
    const goneText = await gone.text();
    expect(goneText).toContain('This link has been revoked');
    expect(goneText).not.toContain('PDD-A');
    expect((await fetch(`${base}${src}`)).status).toBe(410);

    const actions = (await hub.ctx.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['share.created', 'share.opened', 'share.downloaded', 'share.revoked']),
    );
    expect((await verifyAudit(hub.ctx.db)).ok).toBe(true);
  });

  it('expired, guessed and view-only links reveal nothing; a file of another order is refused through a link', async () => {
    const { hub, base } = await warehouse();
    const viewOnly = await createShareLink(hub.ctx.db, { orderNo: 'PDD-A/1', hours: 2 }, null, T0);
    const page = await (await fetch(`${base}/s/${viewOnly.token}`)).text();
    expect(page).not.toContain('download=1');
    const src = /<video[^>]* src="([^"]+)"/.exec(page)![1]!;
    expect((await fetch(`${base}${src}?download=1`)).status).toBe(403);
    // the other order's file, asked for through this link, is not there
    const other = await hub.ctx.db
      .selectFrom('hub_evidence')
      .select(['station_id', 'evidence_id'])
      .where('order_no', '=', 'PDD-B')
      .executeTakeFirstOrThrow();
    expect((await fetch(`${base}/s/${viewOnly.token}/f/${other.station_id}/${other.evidence_id}`)).status).toBe(404);
    for (const guess of ['A'.repeat(43), '../../etc/passwd', '%2e%2e%2f', viewOnly.id])
      expect((await fetch(`${base}/s/${guess}`)).status).toBe(404);
    now = new Date(T0.getTime() + 2 * 3600_000);
    const expired = await fetch(`${base}/s/${viewOnly.token}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('此链接已过期');
    await expect(createShareLink(hub.ctx.db, { orderNo: 'PDD-404' }, null, T0)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { problem: 'share-no-evidence' },
    });
    await expect(createShareLink(hub.ctx.db, { orderNo: 'PDD-A/1', hours: 24 * 91 }, null, T0)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('staff play by range and share within their shops; another shop’s order is simply not there', async () => {
    const { hub, base, size } = await warehouse();
    await addUser(hub.ctx.db, { name: 'clerk', role: 'clerk', password: PW }, 'test', T0);
    await addUser(hub.ctx.db, { name: 'viewerA', role: 'viewer', shops: ['A店'], password: PW }, 'test', T0);
    const clerk = await signedIn(base, 'clerk');
    const viewerA = await signedIn(base, 'viewerA');

    const files = (await (await clerk('/staff/v1/orders/PDD-B/files')).json()) as {
      files: { stationId: string; evidenceId: string; stationName: string; location?: string }[];
    };
    expect(files.files).toHaveLength(1);
    expect(files.files[0]).toMatchObject({ stationName: '打包台 2' });
    expect(files.files[0]!.location).toBeUndefined();
    const mediaB = `/staff/v1/media/${files.files[0]!.stationId}/${files.files[0]!.evidenceId}`;
    const seek = await clerk(mediaB, { headers: { range: `bytes=${size - 500}-` } });
    expect(seek.status).toBe(206);
    expect((await seek.arrayBuffer()).byteLength).toBe(500);

    // the shop-A viewer: shop B's order, its file and its media URL are 404, like an order that never was
    expect((await viewerA('/staff/v1/orders/PDD-B/files')).status).toBe(404);
    expect((await viewerA(mediaB)).status).toBe(404);
    expect((await viewerA(`/staff/v1/orders/${encodeURIComponent('PDD-A/1')}/files`)).status).toBe(200);
    // a viewer cannot share; signed out, nothing at all
    const refused = await viewerA('/staff/v1/shares', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderNo: 'PDD-A/1' }),
    });
    expect(refused.status).toBe(403);
    expect((await fetch(`${base}${mediaB}`)).status).toBe(401);

    const made = await clerk('/staff/v1/shares', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderNo: 'PDD-B', hours: 48 }),
    });
    expect(made.status).toBe(201);
    const link = (await made.json()) as { id: string; url: string; expiresAt: string };
    expect(link.expiresAt).toBe('2026-12-06T08:00:00.000Z');
    expect((await fetch(link.url)).status).toBe(200);
    const listed = (await (await clerk('/staff/v1/shares?order=PDD-B')).json()) as {
      links: { id: string; createdBy: string; opens: unknown[] }[];
    };
    expect(listed.links).toMatchObject([{ id: link.id, createdBy: 'clerk' }]);
    expect(listed.links[0]!.opens).toHaveLength(1);
    // revoking without the CSRF token is refused; with it, the link ends
    const noCsrf = await fetch(`${base}/staff/v1/shares/${link.id}/revoke`, { method: 'POST' });
    expect(noCsrf.status).toBe(401);
    expect((await clerk(`/staff/v1/shares/${link.id}/revoke`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(link.url)).status).toBe(410);
    const viewed = await hub.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', '=', 'evidence.viewed')
      .execute();
    expect(viewed.length).toBeGreaterThanOrEqual(1);
  });
});
