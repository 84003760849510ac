/**
 * File and folder names derived from scanned codes must be safe on Windows, macOS and
 * Linux and never escape their folder: `/ \ .. :` and friends, control characters,
 * emoji, reserved device names and over-long codes are all handled here.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
// joiners and variation selectors are listed as alternatives: in a class they would combine
// emoji, and invisible format characters (bidi overrides, zero-width spaces): a file name
// must look like what it is
const EMOJI_AND_SYMBOLS = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f|\p{Cs}|\p{Cf}/gu;

/** a short stable hash so distinct codes never collide after sanitising */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function safeFileStem(raw: string, maxLength = 60): string {
  let s = raw.normalize('NFC').replace(EMOJI_AND_SYMBOLS, '').replace(UNSAFE_CHARS, '_');
  s = s
    .replace(/\s+/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/_+/g, '_');
  s = s.replace(/^[.\s_-]+|[.\s_]+$/g, '');
  if (s.length > maxLength) s = s.slice(0, maxLength).replace(/[.\s_]+$/g, '');
  const changed = s !== raw;
  if (s.length === 0) s = 'code';
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return changed ? `${s}-${shortHash(raw)}` : s;
}
