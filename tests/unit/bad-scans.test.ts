import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evidenceRelPath } from '../../electron/core/capture/media-layout';
import { resolveInside } from '../../electron/core/storage/files';
import { safeFileStem } from '../../shared/domain/safe-name';
import { normalizeScan } from '../../shared/domain/scan-code';
import { assertPortableSegment, SCAN_TABLE } from '../helpers/bad-scans';

describe('bad scans: refused with a reason, or turned into safe file names', () => {
  it.each(SCAN_TABLE)('%s', (_name, raw, expected) => {
    const r = normalizeScan(raw);
    if (expected !== 'ok') {
      expect(r).toEqual({ ok: false, problem: expected });
      return;
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rel = evidenceRelPath(r.code, 'outbound', new Date(2026, 10, 24, 14, 30, 5), 'mp4', 'rec-1');
    const segments = rel.split('/');
    expect(segments).toHaveLength(3);
    segments.forEach(assertPortableSegment);
    // the whole path stays inside the media folder on every OS
    for (const root of ['/data/ProofPack/media', 'C:\\Users\\a\\AppData\\Roaming\\ProofPack\\media']) {
      const p = root.includes('\\') ? path.win32 : path.posix;
      const abs = p.resolve(root, ...segments);
      expect(abs.startsWith(root + p.sep)).toBe(true);
    }
    expect(resolveInside('/data/ProofPack', path.posix.join('media', rel))).not.toBeNull();
  });

  it('distinct codes never share a file name after sanitising', () => {
    const names = new Set(
      SCAN_TABLE.filter(([, , e]) => e === 'ok').map(([, raw]) =>
        safeFileStem(normalizeScan(raw).ok ? (normalizeScan(raw) as { code: string }).code : raw),
      ),
    );
    expect(names.size).toBe(SCAN_TABLE.filter(([, , e]) => e === 'ok').length);
  });

  it('random input of any kind gives a portable, contained name (fuzz, fixed seed)', () => {
    let seed = 20261124;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pools = [
      '/\\:*?"<>|. ',
      '\u0000\u001f\u007f\u202e\u200b\ufeff',
      '订单号码🔥📦👨‍👩‍👧',
      'ABCxyz0123456789-_',
      'ＡＢＣ１２３',
      'ÅÄÖéñ',
    ];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const len = Math.floor(rnd() * 90);
      for (let j = 0; j < len; j++) {
        const pool = pools[Math.floor(rnd() * pools.length)];
        s += [...pool][Math.floor(rnd() * [...pool].length)];
      }
      const stem = safeFileStem(s);
      assertPortableSegment(stem);
      expect(stem.length).toBeLessThanOrEqual(70);
    }
  });
});
