import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { newId } from '../../electron/core/db/ids';
import { sha256File } from '../../electron/core/storage/files';
import { makeVideo } from '../fixtures';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('importing a dropped file in pieces (files.upload → evidence.import)', () => {
  it('assembles the pieces, imports the file by content and removes the upload', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'web' });
    const video = await makeVideo({ format: 'mov', durationSec: 2 });
    const bytes = fs.readFileSync(video);
    const piece = Math.ceil(bytes.length / 3);
    const order = await core.dispatch('capture.start', { code: 'UPLOAD-ORDER-1', mode: 'return', mime: 'video/mp4' });
    expect(order.ok).toBe(true);
    const orderId = (order as { value: { orderId: string; id: string } }).value.orderId;
    let uploadId: string | undefined;
    for (let seq = 0; seq * piece < bytes.length; seq++) {
      const data = new Uint8Array(bytes.subarray(seq * piece, (seq + 1) * piece));
      const r = await core.dispatch('files.upload', {
        uploadId,
        fileName: 'buyer video.mov',
        seq,
        data,
        final: (seq + 1) * piece >= bytes.length,
      });
      expect(r.ok).toBe(true);
      uploadId = (r as { value: { uploadId: string } }).value.uploadId;
      // a retried piece is ignored, a piece out of order refused
      if (seq === 0) {
        expect(
          await core.dispatch('files.upload', { uploadId, fileName: 'x', seq: 0, data, final: false }),
        ).toMatchObject({ ok: true });
        expect(
          await core.dispatch('files.upload', { uploadId, fileName: 'x', seq: 5, data, final: false }),
        ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      }
    }
    const imported = await core.dispatch('evidence.import', { orderId, name: 'buyer video.mov', uploadId });
    expect(imported).toMatchObject({ ok: true, value: { kind: 'video', origin: 'imported', bytes: bytes.length } });
    const ev = (imported as { value: { path: string; sha256: string } }).value;
    expect(ev.sha256).toBe(await sha256File(video));
    expect(await sha256File(path.join(dir, ev.path))).toBe(ev.sha256);
    expect(fs.readdirSync(path.join(dir, 'tmp', 'uploads'))).toEqual([]);
    // the upload is gone once used
    expect(await core.dispatch('evidence.import', { orderId, name: 'again.mov', uploadId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    await core.close();
  });

  it('takes either the bytes or an upload id, never both or neither', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'web' });
    const base = { orderId: newId(), name: 'a.pdf' };
    const uploadId = '3b241101-e2bb-4255-8caf-4136c566a962';
    expect(await core.dispatch('evidence.import', base)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await core.dispatch('evidence.import', { ...base, uploadId, data: new Uint8Array([1]) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await core.dispatch('files.upload', { uploadId, fileName: 'x', seq: 1, data: new Uint8Array([1]), final: true }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await core.close();
  });
});
