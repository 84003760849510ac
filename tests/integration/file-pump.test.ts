import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pooledBuffers, pumpFile } from '../../electron/web/file-pump';

/** pumpFile over a real socket: every byte of any range, a viewer who leaves, a file cut short. */
describe('file pump (reused buffers for files on disk)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-pump-'));
  const file = path.join(dir, 'clip.mp4');
  // not a whole number of 256 KiB chunks: the last read is short
  const bytes = randomBytes(3 * 1024 * 1024 + 12_345);
  let server: http.Server;
  let base = '';
  const results: { error: unknown }[] = [];

  beforeAll(async () => {
    fs.writeFileSync(file, bytes);
    server = http.createServer((req, res) => {
      const [start, end, claimed] = (req.url ?? '').slice(1).split('-').map(Number) as [number, number, number];
      res.writeHead(200, { 'content-length': (claimed || end) - start + 1 });
      pumpFile(res, file, start, claimed || end).then(
        () => results.push({ error: null }),
        (error: unknown) => results.push({ error }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = async (p: string) => Buffer.from(await (await fetch(`${base}/${p}`)).arrayBuffer());
  const settled = async (n: number) => {
    for (let i = 0; i < 200 && results.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return results.splice(0, n);
  };

  it('sends the whole file and any inclusive range byte for byte, and gives its buffers back', async () => {
    expect((await get(`0-${bytes.length - 1}`)).equals(bytes)).toBe(true);
    expect((await get('1000-1999')).equals(bytes.subarray(1000, 2000))).toBe(true);
    expect((await get(`${bytes.length - 1}-${bytes.length - 1}`)).equals(bytes.subarray(-1))).toBe(true);
    // exactly one chunk, and a range across a chunk border
    expect((await get(`0-${256 * 1024 - 1}`)).equals(bytes.subarray(0, 256 * 1024))).toBe(true);
    expect((await get('262000-300000')).equals(bytes.subarray(262000, 300001))).toBe(true);
    expect((await settled(5)).map((r) => r.error)).toEqual([null, null, null, null, null]);
    const pooled = pooledBuffers();
    await get(`0-${bytes.length - 1}`);
    await settled(1);
    expect(pooledBuffers()).toBe(pooled); // the two it took came back; none leaked or added
  });

  it('a viewer who leaves mid-file ends the answer quietly', async () => {
    const got = await new Promise<number>((resolve) => {
      http.get(`${base}/0-${bytes.length - 1}`, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          if (n >= 64 * 1024) {
            res.destroy();
            resolve(n);
          }
        });
      });
    });
    expect(got).toBeLessThan(bytes.length);
    expect((await settled(1))[0]!.error).toBeNull();
  });

  it('a file shorter than its head said cuts the answer off rather than ending it as if whole', async () => {
    const claimed = bytes.length + 1000; // as if the file shrank after its size was read
    const failed = await fetch(`${base}/0-0-${claimed - 1}`)
      .then((r) => r.arrayBuffer())
      .then(
        () => false,
        () => true,
      );
    expect(failed).toBe(true);
    const [r] = await settled(1);
    expect(String((r!.error as Error).message)).toMatch(/ended at byte/);
  });

  it('a file gone since its size was read cuts the answer off too', async () => {
    const gone = path.join(dir, 'gone.mp4');
    const res = await new Promise<{ failed: boolean; error: unknown }>((resolve) => {
      const srv = http.createServer((_req, out) => {
        out.writeHead(200, { 'content-length': 10 });
        pumpFile(out, gone, 0, 9).catch((error: unknown) =>
          fetched.then((failed) => (srv.close(), resolve({ failed, error }))),
        );
      });
      let fetched: Promise<boolean>;
      srv.listen(0, '127.0.0.1', () => {
        fetched = fetch(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/`)
          .then((r) => r.arrayBuffer())
          .then(
            () => false,
            () => true,
          );
      });
    });
    expect(res.failed).toBe(true);
    expect((res.error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
