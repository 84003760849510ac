import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const config = YAML.parse(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Every installed package the app ships: production dependencies, transitively. */
function productionPackages(): string[] {
  const seen = new Set<string>();
  const queue = Object.keys(pkg.dependencies ?? {});
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) continue; // an optional dependency for another platform
    seen.add(name);
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    queue.push(...Object.keys(m.dependencies ?? {}), ...Object.keys(m.optionalDependencies ?? {}));
  }
  return [...seen];
}

/** Native code by content: ELF, Mach-O, PE executables/libraries, Node addons, wasm. */
function isNative(file: string): boolean {
  if (file.endsWith('.node') || file.endsWith('.wasm')) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    fs.readSync(fd, b, 0, 4, 0);
    const hex = b.toString('hex');
    return (
      hex === '7f454c46' ||
      ['feedface', 'feedfacf', 'cefaedfe', 'cffaedfe', 'cafebabe'].includes(hex) ||
      b.subarray(0, 2).toString() === 'MZ'
    );
  } finally {
    fs.closeSync(fd);
  }
}

function* walk(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

describe('electron-builder.yml', () => {
  it('targets Windows NSIS, macOS dmg and Linux AppImage + deb, named ProofPack', () => {
    expect(config.productName).toBe('ProofPack');
    expect(pkg.productName).toBe('ProofPack');
    expect(config.appId).toMatch(/^com\.proofpack\./);
    expect(config.win.target.map((t: { target: string }) => t.target)).toContain('nsis');
    expect(config.mac.target.map((t: { target: string }) => t.target)).toContain('dmg');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('unpacks every native module and binary the app loads from asar', () => {
    const globs: string[] = config.asarUnpack;
    const natives: string[] = [];
    for (const name of productionPackages()) {
      for (const file of walk(path.join(ROOT, 'node_modules', name))) {
        if (isNative(file)) natives.push(path.relative(ROOT, file).split(path.sep).join('/'));
      }
    }
    // the ones we know we load must be among them
    expect(natives.some((f) => f.startsWith('node_modules/better-sqlite3/'))).toBe(true);
    expect(natives.some((f) => f.startsWith('node_modules/@ffmpeg-installer/'))).toBe(true);
    expect(natives.some((f) => f.startsWith('node_modules/@ffprobe-installer/'))).toBe(true);
    expect(natives.some((f) => f.startsWith('node_modules/@img/'))).toBe(true);
    const packed = natives.filter((f) => !globs.some((g) => path.matchesGlob(f, g)));
    expect(packed).toEqual([]);
  });

  it('ships the CJK font the packet PDF embeds where pdf-font.ts looks for it', () => {
    const font = config.extraResources.find((r: { to: string }) => r.to === 'fonts/NotoSansHans-Regular.otf');
    expect(font).toBeTruthy();
    expect(fs.existsSync(path.join(ROOT, font.from))).toBe(true);
    expect(fs.readFileSync(path.join(ROOT, 'electron/core/packets/pdf-font.ts'), 'utf8')).toContain(
      "path.join(resourcesPath, 'fonts', FONT_FILE)",
    );
  });

  it('ships the built app and keeps media out of the install folder', () => {
    expect(config.files).toContain('out/**');
    expect(pkg.main).toBe('out/main/index.js');
  });
});
