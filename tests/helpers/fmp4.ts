/**
 * Reads the top-level box layout of a fragmented MP4 (what MediaRecorder writes): where
 * each fragment (moof + mdat) starts and ends, and its decode time. Tests use it to cut a
 * recording at a chosen place — between fragments or in the middle of one.
 */
export interface Fragment {
  /** byte offset of the moof box */
  start: number;
  /** byte offset just after its mdat */
  end: number;
  /** decode time of its first sample, in the track's timescale */
  baseTime: number;
}

export function fragmentsOf(bytes: Uint8Array): { initEnd: number; fragments: Fragment[]; timescale: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fragments: Fragment[] = [];
  let initEnd = 0;
  let timescale = 0;
  let off = 0;
  let moof: { start: number; baseTime: number } | null = null;
  while (off + 8 <= b.length) {
    const size = b.readUInt32BE(off);
    const type = b.toString('latin1', off + 4, off + 8);
    if (size < 8 || off + size > b.length) break;
    if (type === 'moov') {
      initEnd = off + size;
      const mdhd = b.indexOf('mdhd', off, 'latin1');
      if (mdhd > 0) timescale = b.readUInt32BE(mdhd + (b[mdhd + 4] === 1 ? 24 : 16));
    } else if (type === 'moof') {
      const tfdt = b.indexOf('tfdt', off, 'latin1');
      const v1 = b[tfdt + 4] === 1;
      moof = { start: off, baseTime: v1 ? Number(b.readBigUInt64BE(tfdt + 8)) : b.readUInt32BE(tfdt + 8) };
    } else if (type === 'mdat' && moof) {
      fragments.push({ start: moof.start, end: off + size, baseTime: moof.baseTime });
      moof = null;
    }
    off += size;
  }
  return { initEnd, fragments, timescale };
}
