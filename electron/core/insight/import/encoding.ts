import iconv from 'iconv-lite';
import type { TextEncoding } from '../../../../shared/domain/insight/types';

/**
 * Which text encoding an exported CSV is in. A byte-order mark settles it. Otherwise a
 * sample that is valid UTF-8 is UTF-8 (GBK text is almost never valid UTF-8 by chance);
 * anything else from a Chinese back office is GBK, read as GB18030 (its superset, so a
 * rare character never turns into "?").
 */
export function detectEncoding(sample: Uint8Array): { encoding: TextEncoding; fromBom: boolean } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', fromBom: true };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', fromBom: true };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', fromBom: true };
  // UTF-16 without a BOM: every other byte of ASCII text is zero
  const n = Math.min(sample.length, 4096);
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) zeroEven++;
    else zeroOdd++;
  }
  if (n >= 16 && zeroOdd > n / 4 && zeroEven < n / 50) return { encoding: 'utf16le', fromBom: false };
  if (n >= 16 && zeroEven > n / 4 && zeroOdd < n / 50) return { encoding: 'utf16be', fromBom: false };
  return { encoding: isValidUtf8(trimPartialUtf8(sample)) ? 'utf8' : 'gb18030', fromBom: false };
}

/** The sample may end inside a multi-byte character: drop that tail before judging. */
function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let end = b.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = b[end - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  return b.subarray(0, end);
}

function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

const ICONV_NAMES: Record<TextEncoding, string> = {
  utf8: 'utf8',
  utf16le: 'utf16le',
  utf16be: 'utf16be',
  gb18030: 'gb18030',
};

/** An incremental decoder (bytes → text, BOM stripped): multi-byte characters split across chunks survive. */
export function textDecoder(encoding: TextEncoding): { write(b: Buffer): string; end(): string } {
  const d = iconv.getDecoder(ICONV_NAMES[encoding], { stripBOM: true });
  return { write: (b) => d.write(b), end: () => d.end() ?? '' };
}

export function decodeBytes(bytes: Uint8Array, encoding: TextEncoding): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ICONV_NAMES[encoding], {
    stripBOM: true,
  });
}

export const isTextEncoding = (s: string): s is TextEncoding => s in ICONV_NAMES;
