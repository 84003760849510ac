import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allKeys, bundles, hasMessage, translate } from '../../shared/i18n';

const ROOT = path.resolve(__dirname, '..', '..');

function* sources(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.(ts|tsx)$/.test(e.name)) yield p;
  }
}

describe('i18n', () => {
  it('every bundle has the same keys in zh-CN and en', () => {
    for (const b of bundles) expect(Object.keys(b['zh-CN']).sort()).toEqual(Object.keys(b.en).sort());
  });

  it('no key is defined twice with different bundles', () => {
    const seen = new Map<string, number>();
    bundles.forEach((b, i) => {
      for (const k of Object.keys(b.en)) {
        expect(seen.has(k) && seen.get(k) !== i, `duplicate key ${k}`).toBe(false);
        seen.set(k, i);
      }
    });
    expect(allKeys('zh-CN').length).toBe(allKeys('en').length);
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(translate('en', 'station.saved', { order: 'A1' })).toBe('Recording of order A1 saved');
    expect(translate('zh-CN', 'station.saved', { order: 'A1' })).toContain('A1');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('every literal key the renderer asks for exists', () => {
    const missing: string[] = [];
    for (const file of sources(path.join(ROOT, 'renderer', 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        if (!hasMessage(m[1])) missing.push(`${path.relative(ROOT, file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
