import path from 'node:path';
import zlib from 'node:zlib';
import yazl from 'yazl';

/**
 * yazl computes each entry's CRC-32 with buffer-crc32, a table-driven JS loop (~0.5 GB/s
 * here), which made zipping a 300 MB packet CPU-bound. Node ≥ 22.2 has a native
 * zlib.crc32 (~2 GB/s) with the same results (same polynomial, same continuation), so
 * the function yazl calls is pointed at it. Checked by the zip round-trip tests.
 */
function useNativeCrc32(): void {
  const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (typeof native !== 'function') return;
  try {
    const crcPath = require.resolve('buffer-crc32', { paths: [path.dirname(require.resolve('yazl'))] });
    const crc = require(crcPath) as { unsigned: (buf: Uint8Array, previous?: number) => number; __native?: boolean };
    if (crc.__native) return;
    crc.unsigned = (buf, previous) => native(buf, typeof previous === 'number' ? previous : 0);
    crc.__native = true;
  } catch {
    /* keep yazl's own implementation */
  }
}
useNativeCrc32();

/** yazl, with the native CRC-32 in place: every zip ProofPack writes comes through here. */
export { yazl };
