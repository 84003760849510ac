/**
 * What a container's own header says the whole file holds, for the containers where
 * ffprobe reports only what is present: an AVI's RIFF size and frame count, an ASF
 * (WMV) File Properties size and play duration. When the file on disk is shorter than
 * its header says, the recording was cut off (a copy that stopped, a crashed recorder
 * that had already written its header), however well the remaining packets play.
 */
export interface Declared {
  bytes: number;
  durationSec: number | null;
}

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

// ASF File Properties Object: 8CABDCA1-A947-11CF-8EE4-00C00C205365, as stored (little-endian fields)
const ASF_FILE_PROPERTIES = [
  0xa1, 0xdc, 0xab, 0x8c, 0x47, 0xa9, 0xcf, 0x11, 0x8e, 0xe4, 0x00, 0xc0, 0x0c, 0x20, 0x53, 0x65,
];

export function declaredByHeader(b: Uint8Array, format: string | null): Declared | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (format === 'avi' && b.length >= 12 && ascii(b, 0, 4) === 'RIFF') {
    const riff = dv.getUint32(4, true);
    if (riff < 4) return null; // a recorder that never finished leaves 0 here: nothing declared
    let durationSec: number | null = null;
    const avih = findAscii(b, 'avih');
    if (avih >= 0 && avih + 8 + 20 <= b.length) {
      const usPerFrame = dv.getUint32(avih + 8, true);
      const frames = dv.getUint32(avih + 8 + 16, true);
      if (usPerFrame > 0 && frames > 0) durationSec = (usPerFrame * frames) / 1e6;
    }
    return { bytes: riff + 8, durationSec };
  }
  if (format === 'wmv') {
    const at = findBytes(b, ASF_FILE_PROPERTIES);
    if (at < 0 || at + 92 > b.length) return null;
    const flags = dv.getUint32(at + 88, true);
    if (flags & 1) return null; // broadcast: size and duration are not known while writing
    const bytes = Number(dv.getBigUint64(at + 40, true));
    const play = Number(dv.getBigUint64(at + 64, true)) / 1e7;
    const preroll = Number(dv.getBigUint64(at + 80, true)) / 1000;
    if (!(bytes > 0)) return null;
    return { bytes, durationSec: play > 0 ? Math.max(0, play - preroll) : null };
  }
  return null;
}

function findAscii(b: Uint8Array, s: string): number {
  return findBytes(
    b,
    [...s].map((c) => c.charCodeAt(0)),
  );
}

function findBytes(b: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= b.length; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
