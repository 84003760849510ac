import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../electron/core/checks/profile-store';
import { resolveDbTarget } from '../../electron/core/db/target';
import { builtinProfile } from '../../shared/rules/builtin';
import { makeBadFile, makeLongVideo, makeVideo, sampleTrackingNo, sceneJpegFile } from '../fixtures';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

// The public CLI contract: `proofpack check` / `proofpack fix`, their JSON and exit codes.
const tmp = useTempDirs();
const openTestDb = useTestDb();
const BIN = path.resolve(__dirname, '../../bin/proofpack.mjs');
const runIn = (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PROOFPACK_LANG: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const run = (...args: string[]) => runIn({}, ...args);

// each test starts the CLI (Node + tsx) a few times: generous bounds for a loaded machine
describe('proofpack check', { timeout: 600_000 }, () => {
  it('prints the JSON contract and exits 1 when any file is not ok', async () => {
    const TN = sampleTrackingNo('SF', 11);
    const good = await sceneJpegFile({ trackingNo: TN, width: 1600, height: 900 });
    const empty = await makeBadFile('empty');
    const r = run('check', good, empty, '--tracking', TN, '--json', '--lang', 'en');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ file: good, kind: 'photo', ok: true, findings: [] });
    expect(out[0].probe).toMatchObject({ format: 'jpg', label: { matched: true } });
    expect(out[1]).toMatchObject({
      file: empty,
      ok: false,
      findings: [
        { code: 'FILE_UNREADABLE', severity: 'block', message: 'The file cannot be read: the file is empty (0 bytes)' },
      ],
    });
    expect(Object.keys(out[1].findings[0])).toEqual(expect.arrayContaining(['code', 'severity', 'message']));

    const ok = run('check', good, '--tracking', TN);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('合规'); // zh-CN by default
  });

  it('exit 2 on usage errors, with a clear message', async () => {
    expect(run('check').code).toBe(2);
    const missing = run('check', '/nope/x.mp4', '--lang', 'en');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No such file: /nope/x.mp4');
    const file = await makeBadFile('empty');
    expect(run('check', file, '--profile', 'nosuch', '--lang', 'en').err).toMatch(/Unknown profile: nosuch/);
    const badProfile = path.join(tmp(), 'p.json');
    fs.writeFileSync(badProfile, '{"id": "x"}');
    const r = run('check', file, '--profile', badProfile, '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is invalid:\n {2}name:/);
  });
});

describe(`proofpack check on a database's profiles (${testEngine})`, () => {
  it('judges with a profile stored in the database named by --data-dir or --db', async () => {
    const dir = tmp();
    const db = await openTestDb(dir);
    const pdd = builtinProfile('pdd')!;
    await new ProfileStore(db).save({
      ...pdd,
      id: 'tiny',
      name: { 'zh-CN': '极小', en: 'Tiny' },
      photo: { ...pdd.photo, maxBytes: { value: 1000, basis: 'assumed' } },
    });
    await db.destroy();
    const target = await resolveDbTarget({ dataDir: dir });
    const TN = sampleTrackingNo('SF', 12);
    const good = await sceneJpegFile({ trackingNo: TN, width: 1600, height: 900 });
    const judged = (r: { code: number | null; out: string; err: string }) => {
      expect(r.code, r.err).toBe(1);
      const [report] = JSON.parse(r.out);
      expect(report.profile).toMatchObject({ id: 'tiny', version: 1 });
      expect(report.findings.map((f: { code: string }) => f.code)).toContain('PHOTO_TOO_LARGE');
    };
    judged(run('check', good, '--data-dir', dir, '--profile', 'tiny', '--json', '--lang', 'en'));
    // --db alone names the database (a shared PostgreSQL, a SQLite file elsewhere)
    const dbArg = target.engine === 'sqlite' ? target.file : target.url;
    const elsewhere = { PROOFPACK_DATA_DIR: tmp(), PROOFPACK_TEST_PG: '' };
    judged(runIn(elsewhere, 'check', good, '--db', dbArg, '--profile', 'tiny', '--json', '--lang', 'en'));
    // without either, only the built-in profiles and files exist
    expect(runIn(elsewhere, 'check', good, '--profile', 'tiny', '--lang', 'en').err).toMatch(/Unknown profile: tiny/);
  });
});

describe('proofpack fix', { timeout: 600_000 }, () => {
  it('splits a too-long video into parts and prints each with its check', async () => {
    const out = tmp();
    const src = await makeLongVideo();
    const r = run('fix', src, '--out', out, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ status: 'done', applied: ['split'] });
    expect(j.outputs.map((o: { part: number; parts: number; ok: boolean }) => [o.part, o.parts, o.ok])).toEqual([
      [1, 2, true],
      [2, 2, true],
    ]);
    for (const o of j.outputs) expect(fs.existsSync(o.file)).toBe(true);
  });

  it('trims for Shopee; refuses without in/out points; exit 2 on a bad --trim', async () => {
    const out = tmp();
    const src = await makeVideo({ format: 'mp4', durationSec: 75, width: 320, height: 240, fps: 10 });
    const noTrim = run('fix', src, '--out', out, '--profile', 'shopee', '--lang', 'en');
    expect(noTrim.code).toBe(1);
    expect(noTrim.out).toContain('--trim');
    const trimmed = run('fix', src, '--out', out, '--profile', 'shopee', '--trim', '0:05-1:00', '--json');
    expect(trimmed.code).toBe(0);
    expect(JSON.parse(trimmed.out).outputs[0].probe.video.durationSec).toBeCloseTo(55, 0);
    expect(run('fix', src, '--out', out, '--trim', 'later').code).toBe(2);
    expect(fs.readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual([
      path.basename(src).replace('.mp4', '.fixed.mp4'),
    ]);
  });
});
