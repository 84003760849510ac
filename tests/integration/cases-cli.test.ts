import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine, useTestDb } from '../helpers/test-db';
import { makeVideo, sceneJpegFile } from '../fixtures';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'proofpack.mjs');

/** The real CLI, as staff scripts run it (`npx proofpack …` runs this same file). */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PROOFPACK_LANG: '' },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (r: { out: string }) => JSON.parse(r.out);

// ~20 CLI processes (each starts Node and tsx) in one test: on a loaded 2-core machine that
// took over two minutes, so the bound is generous; a real hang still ends at spawnSync's timeout
describe(`cases and packets CLI (public contracts, ${testEngine})`, { timeout: 900_000 }, () => {
  it('add → case create → export --zip → verify, with exit codes', async () => {
    const data = tmp();
    const order = '241124-000000000000888';
    const video = await makeVideo({ format: 'mp4', durationSec: 2 });
    const photo = await sceneJpegFile({ trackingNo: 'SF1234567890888', width: 800, height: 600 });
    const voucher = path.join(tmp('pp-in-'), 'freight.pdf');
    fs.writeFileSync(voucher, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const junk = path.join(path.dirname(voucher), 'notes.txt');
    fs.writeFileSync(junk, 'not evidence');

    let r = cli([
      'case',
      'create',
      '--data-dir',
      data,
      '--order',
      order,
      '--type',
      'fast-refund',
      '--scenario',
      'missing-part',
      '--refund',
      '2026-11-24T12:00:00+08:00',
      '--amount',
      '59.00',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const created = json(r);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      appealType: 'fast-refund',
      fastRefund: true,
      amountClaimedCents: 5900,
      refundAt: '2026-11-24T04:00:00.000Z',
      appealDueAt: '2026-12-01T04:00:00.000Z',
    });
    const caseId: string = created.id;
    expect(created.checklist.missing).toEqual(['packing-video', 'item-label-photo', 'logistics-proof']);

    // add: a recorded-elsewhere packing video (linked), then documents; a text file is refused
    r = cli([
      'add',
      '--data-dir',
      data,
      '--order',
      order,
      '--tracking',
      'SF1234567890888',
      '--case',
      caseId,
      '--requirement',
      'packing-video',
      video,
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const added = json(r);
    expect(added.order).toMatchObject({ orderNo: order, trackingNo: 'SF1234567890888' });
    expect(added.files[0]).toMatchObject({ ok: true, evidence: { kind: 'video' } });
    expect(added.files[0].evidence.check).not.toBe('pending');
    expect(fs.existsSync(added.files[0].evidence.path)).toBe(true);
    r = cli([
      'add',
      '--data-dir',
      data,
      '--order',
      order,
      '--case',
      caseId,
      '--requirement',
      'logistics-proof',
      voucher,
      junk,
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(json(r).files.map((f: { ok: boolean }) => f.ok)).toEqual([true, false]);
    expect(json(r).files[1].error.problem).toBe('unrecognised');
    expect(
      cli(['add', '--data-dir', data, '--order', order, '--case', caseId, '--requirement', 'item-label-photo', photo])
        .code,
    ).toBe(0);

    // export refuses nothing now; --zip writes the zip beside the folder
    const out = tmp('pp-out-');
    r = cli(['export', '--data-dir', data, '--case', caseId, '--out', out, '--zip', '--json']);
    expect(r.code, r.err).toBe(0);
    const exp = json(r);
    expect(fs.existsSync(exp.packet.path)).toBe(true);
    expect(exp.packet.zip).toBe(`${exp.packet.path}.zip`);
    expect(exp.files.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining([
        '01_发货打包视频.mp4',
        '02_商品与面单合照.jpg',
        '03_物流红章证明.pdf',
        '申诉摘要.pdf',
        '申诉说明.txt',
      ]),
    );
    for (const f of exp.files) expect(fs.statSync(f.path).size).toBe(f.bytes);

    expect(cli(['verify', exp.packet.path]).code).toBe(0);
    r = cli(['verify', exp.packet.zip, '--json']);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, kind: 'zip' });
    fs.appendFileSync(path.join(exp.packet.path, '01_发货打包视频.mp4'), Buffer.from([0]));
    r = cli(['verify', exp.packet.path, '--json']);
    expect(r.code).toBe(1);
    expect(json(r).changed.map((c: { name: string }) => c.name)).toEqual(['01_发货打包视频.mp4']);

    // usage errors: exit 2 with a message in the user's language
    r = cli(['case', 'create', '--data-dir', data, '--order', order, '--type', 'refund', '--scenario', 'other']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--type');
    r = cli([
      'case',
      'create',
      '--data-dir',
      data,
      '--order',
      order,
      '--type',
      'shipping',
      '--scenario',
      'shipping-fee',
      '--amount',
      '12.345',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('金额无效');
    expect(cli(['verify']).code).toBe(2);
    expect(cli(['export', '--data-dir', data, '--case', '99', '--out', out]).code).toBe(1);
  });

  it('audit verify detects an edited entry, a deleted entry and entries cut off the end', async () => {
    const data = tmp();
    expect(
      cli([
        'case',
        'create',
        '--data-dir',
        data,
        '--order',
        'A-1',
        '--type',
        'goods',
        '--scenario',
        'damaged',
        '--amount',
        '10',
      ]).code,
    ).toBe(0);
    expect(
      cli([
        'case',
        'create',
        '--data-dir',
        data,
        '--order',
        'A-2',
        '--type',
        'goods',
        '--scenario',
        'swapped',
        '--amount',
        '20',
      ]).code,
    ).toBe(0);
    let r = cli(['audit', 'verify', '--data-dir', data, '--json']);
    expect(r.code, r.out + r.err).toBe(0);
    const db = await openTestDb(data);
    const { n } = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(n).toBeGreaterThanOrEqual(4);
    expect(json(r)).toMatchObject({ ok: true, entries: n });
    await db.destroy();
    expect(cli(['audit', 'verify', '--data-dir', tmp()]).code).toBe(2);
    // below, an attacker edits the SQLite file itself (a copy of the folder is a copy of its data)
    if (testEngine !== 'sqlite') return;

    /** an attacker with the file: the append-only triggers are simply dropped */
    const tamper = (sql: string) => {
      const copy = tmp('pp-tamper-');
      fs.cpSync(data, copy, { recursive: true });
      const db = new Database(path.join(copy, 'proofpack.db'));
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      db.exec(sql);
      db.close();
      return copy;
    };
    // the triggers do refuse it through SQL as long as they exist
    const raw = new Database(path.join(data, 'proofpack.db'));
    expect(() => raw.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
    raw.close();

    const edited = tamper(
      `UPDATE audit_log SET details = replace(details, '1000', '9000') WHERE action = 'case.create'`,
    );
    r = cli(['audit', 'verify', '--data-dir', edited, '--json']);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, reason: 'entry-edited' });

    const deleted = tamper('DELETE FROM audit_log WHERE seq = 2');
    r = cli(['audit', 'verify', '--data-dir', deleted, '--json']);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, brokenAt: 3 });

    const cut = tamper(`DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)`);
    r = cli(['audit', 'verify', '--data-dir', cut]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('末尾记录被删除');

    // re-hashing the edited entry does not help: the next entry's link breaks
    const rehashed = tamper(`UPDATE audit_log SET details = '{}' WHERE seq = 2`);
    const rdb = new Database(path.join(rehashed, 'proofpack.db'));
    const { auditHash } = await import('../../electron/core/audit/audit-log');
    const row = rdb.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as Parameters<typeof auditHash>[1] & {
      prev_hash: string;
    };
    rdb.prepare('UPDATE audit_log SET hash = ? WHERE seq = 2').run(auditHash(row.prev_hash, row));
    rdb.close();
    r = cli(['audit', 'verify', '--data-dir', rehashed, '--json']);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, brokenAt: 3, reason: 'chain-broken' });
  });
});
