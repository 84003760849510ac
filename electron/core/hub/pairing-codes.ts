import { randomInt } from 'node:crypto';

/**
 * Pairing codes are read off the hub's screen and typed at a station, so they are short
 * and unambiguous: 8 characters of Crockford's base32 (no I, L, O, U), shown as XXXX-XXXX.
 * 32^8 ≈ 1.1·10^12 codes, each valid once for 10 minutes: guessing one online is hopeless.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;

export function newPairingCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/**
 * What a person types back: any case, with or without the dash or spaces, and the letters
 * people confuse with digits read as those digits (Crockford's rule). Null when it cannot
 * be a code at all.
 */
export function normalizePairingCode(input: string): string | null {
  const s = input.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== 8 || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}
