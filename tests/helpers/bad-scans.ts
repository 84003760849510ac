import { expect } from 'vitest';
import type { ScanProblem } from '../../shared/domain/scan-code';

/** What every OS accepts in one path segment (the strictest of Windows, macOS, Linux). */
export function assertPortableSegment(seg: string): void {
  expect(seg.length).toBeGreaterThan(0);
  // eslint-disable-next-line no-control-regex
  expect(seg).not.toMatch(/[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/);
  expect(seg).not.toMatch(/\p{Cf}|\p{Cs}|\p{Extended_Pictographic}/u);
  expect(seg).not.toMatch(/[. ]$/); // Windows drops trailing dots and spaces
  expect(seg).not.toMatch(/^\./); // hidden on macOS/Linux, "." and ".." are not names
  expect(seg).not.toMatch(/^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i);
  expect(Buffer.byteLength(seg, 'utf8')).toBeLessThanOrEqual(255);
  expect(seg.normalize('NFC')).toBe(seg);
}

/** The bad scans of the issue, and what must happen to each: refused with a reason, or accepted. */
export const SCAN_TABLE: [string, string, ScanProblem | 'ok'][] = [
  ['slashes', 'AB/CD/EF', 'ok'],
  ['backslashes', 'AB\\CD\\EF', 'ok'],
  ['dot-dot traversal', '../../etc/passwd', 'ok'],
  ['windows traversal', '..\\..\\Windows\\System32', 'ok'],
  ['drive letter', 'C:\\evil', 'ok'],
  ['url-encoded traversal', '%2e%2e%2f%2e%2e%2fetc', 'ok'],
  ['all forbidden characters', 'A/B\\C..D:E*F?G"H<I>J|K', 'ok'],
  ['only forbidden characters', '/\\:*?"<>|', 'no-usable-chars'],
  ['only dots', '....', 'no-usable-chars'],
  ['Windows device name', 'CON', 'ok'],
  ['Windows device name with extension', 'nul.txt', 'ok'],
  ['Windows console name', 'CONIN$', 'ok'],
  ['trailing dot and space', 'ORDER123. ', 'ok'],
  ['NUL byte', 'AB\u0000CD', 'control-chars'],
  ['bell', 'AB\u0007CD', 'control-chars'],
  ['escape sequence', '\u001b[31mRED', 'control-chars'],
  ['DEL', 'AB\u007fCD', 'control-chars'],
  ['tab inside', 'AB\tCD', 'control-chars'],
  ['line separator', 'AB\u2028CD', 'control-chars'],
  ['right-to-left override', 'INV\u202Egpj.exe', 'control-chars'],
  ['zero-width space', 'SF123\u200B456', 'control-chars'],
  ['leading byte-order mark (trimmed)', '\uFEFFSF123456', 'ok'],
  ['byte-order mark inside', 'SF123\uFEFF456', 'control-chars'],
  ['lone surrogate', 'SF\uD800123', 'control-chars'],
  ['emoji with digits', '📦订单123🔥', 'ok'],
  ['emoji family (joiners)', '👨‍👩‍👧SF123456', 'ok'],
  ['emoji only', '😀😀', 'no-usable-chars'],
  ['full-width scanner output', 'ＳＦ１２３４５６７８９０', 'ok'],
  ['64 characters', 'A'.repeat(64), 'ok'],
  ['65 characters', 'A'.repeat(65), 'too-long'],
  ['500+ characters', 'X'.repeat(520), 'too-long'],
  ['empty', '', 'empty'],
  ['only spaces', '   ', 'empty'],
  ['only a newline', '\n', 'empty'],
];
