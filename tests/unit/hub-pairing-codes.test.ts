import { describe, expect, it } from 'vitest';
import { newPairingCode, normalizePairingCode } from '../../electron/core/hub/pairing-codes';
import { parseHubUrl } from '../../electron/core/hub/join-hub';

describe('pairing codes', () => {
  it('are 8 unambiguous characters shown as XXXX-XXXX, and random', () => {
    const codes = new Set(Array.from({ length: 200 }, newPairingCode));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('read back as people type them: any case, spaces, full-width, I/L/O for 1/1/0', () => {
    expect(normalizePairingCode('abcd-efgh')).toBe('ABCD-EFGH');
    expect(normalizePairingCode(' ab cd ef gh ')).toBe('ABCD-EFGH');
    expect(normalizePairingCode('ＡＢＣＤ－ＥＦＧＨ')).toBe('ABCD-EFGH');
    expect(normalizePairingCode('OIL0-1234')).toBe('0110-1234');
    expect(normalizePairingCode('ABCD-EFG')).toBeNull();
    expect(normalizePairingCode('ABCD-EFGU')).toBeNull(); // U is not in the alphabet
    expect(normalizePairingCode('')).toBeNull();
    expect(normalizePairingCode('ABCD-EFGH; DROP TABLE')).toBeNull();
  });
});

describe('hub addresses', () => {
  it('take http(s) with host and port, and end in /', () => {
    expect(parseHubUrl('http://10.0.0.5:4870').href).toBe('http://10.0.0.5:4870/');
    expect(parseHubUrl(' https://hub.example/proofpack ').href).toBe('https://hub.example/proofpack/');
  });
  it('refuse anything else with the problem named', () => {
    for (const bad of ['10.0.0.5:4870', 'ftp://hub/', 'http://u:p@hub/', 'http://hub/?x=1', 'not a url'])
      expect(() => parseHubUrl(bad), bad).toThrow(
        expect.objectContaining({ details: expect.objectContaining({ problem: 'hub-url' }) }),
      );
  });
});
