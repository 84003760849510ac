import fsp from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/**
 * Sends a file on this machine's disk (a folder or NAS store, the data folder) to an HTTP
 * answer through two buffers it reuses, taken from a small pool shared by every answer.
 * Why not fs.createReadStream piped: that allocates a new buffer for every read, and at
 * 50 viewers × hundreds of MB/s the garbage between collections, not the bytes in flight,
 * is what raised the hub's memory (issue 12's benchmark). Here one buffer is read while the
 * other is being written, only one write is ever queued, and a buffer is read into again
 * only after the socket has taken its bytes: memory stays at two chunks per viewer.
 */
const CHUNK = 256 * 1024;
const POOL_MAX = 128;
const pool: Buffer[] = [];
const take = () => pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
const giveBack = (b: Buffer) => {
  if (pool.length < POOL_MAX) pool.push(b);
};

/** How many chunk buffers wait in the pool (tests: every answer gave its two back). */
export const pooledBuffers = () => pool.length;

class ViewerGone extends Error {}

/**
 * Writes chunks, one at a time; each resolves once the socket holds its bytes, rejects if
 * the viewer left. One 'close' listener for the whole answer, not one per chunk.
 */
function chunkWriter(res: ServerResponse) {
  let pending: ((e: Error) => void) | null = null;
  const onClose = () => pending?.(new ViewerGone());
  res.on('close', onClose);
  return {
    write: (chunk: Buffer) =>
      new Promise<void>((resolve, reject) => {
        if (res.destroyed) return reject(new ViewerGone());
        pending = reject;
        res.write(chunk, (err) => {
          pending = null;
          if (err) reject(new ViewerGone());
          else resolve();
        });
      }),
    dispose: () => res.off('close', onClose),
  };
}

/**
 * Bytes `start`…`end` (inclusive) of `abs`, after the answer's head was written; ends the
 * answer. A viewer who leaves mid-file ends it quietly. A file that turns out shorter than
 * its head said (changed under us) cuts the answer off, so the browser sees a failed load
 * rather than a short file that looks whole.
 */
export async function pumpFile(res: ServerResponse, abs: string, start: number, end: number): Promise<void> {
  const file = await fsp.open(abs, 'r').catch((e: unknown) => {
    res.destroy(); // the head is out: a file gone since its size was read cuts the answer off
    throw e;
  });
  const bufs = [take(), take()];
  const writer = chunkWriter(res);
  let clean = false;
  try {
    let pos = start;
    let turn = 0;
    let previous: Promise<void> = Promise.resolve();
    while (pos <= end) {
      const buf = bufs[turn]!;
      // this buffer's last write finished before the other one's began (awaited below)
      const { bytesRead } = await file.read(buf, 0, Math.min(CHUNK, end - pos + 1), pos);
      if (bytesRead === 0) throw new Error(`${abs} ended at byte ${pos}, before ${end + 1}`);
      pos += bytesRead;
      await previous;
      previous = writer.write(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
      previous.catch(() => undefined); // awaited above or below; never left unhandled if a read fails first
      turn ^= 1;
    }
    await previous;
    clean = true;
    res.end();
  } catch (e) {
    if (!(e instanceof ViewerGone)) {
      res.destroy();
      throw e;
    }
  } finally {
    writer.dispose();
    await file.close();
    // a buffer whose write was cut off may still be held by the socket: never reused then
    if (clean) bufs.forEach(giveBack);
  }
}
