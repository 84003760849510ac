import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { AppError } from '../../../shared/api/result';

/**
 * The CJK font embedded (subset) in summary PDFs, and the fontkit pdf-lib uses.
 *
 * Why upstream fontkit and not @pdf-lib/fontkit: the Noto Sans SC font we ship is
 * CID-keyed CFF (OpenType .otf), and @pdf-lib/fontkit 1.1.1 writes broken CFF subsets
 * for it (poppler: "Embedded font file may be invalid", no text rendered). fontkit 2
 * subsets it correctly; pdf-lib only needs `encodeStream()`, which fontkit 2 renamed
 * to `encode()`, so a tiny adapter bridges the two.
 */
const FONT_FILE = 'NotoSansHans-Regular.otf';

interface FontkitSubset {
  encode(): Uint8Array;
  encodeStream?: () => EventEmitter;
}
interface FontkitFont {
  createSubset(): FontkitSubset;
}

export const pdfFontkit = {
  create(data: Uint8Array): FontkitFont {
    const font = (fontkit as unknown as { create(b: Buffer): FontkitFont }).create(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    );
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      subset.encodeStream = () => {
        const stream = new EventEmitter();
        setImmediate(() => {
          try {
            stream.emit('data', subset.encode());
            stream.emit('end');
          } catch (e) {
            stream.emit('error', e);
          }
        });
        return stream;
      };
      return subset;
    };
    return font;
  },
};

/**
 * Where the font is: PROOFPACK_CJK_FONT, the packaged app's resources/fonts (copied
 * there at build time, see electron-builder extraResources), the checkout's
 * resources/fonts, then the @embedpdf/fonts-sc npm package in node_modules.
 */
export function cjkFontPath(): string {
  const candidates: string[] = [];
  if (process.env.PROOFPACK_CJK_FONT) candidates.push(process.env.PROOFPACK_CJK_FONT);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) {
    candidates.push(
      path.join(resourcesPath, 'fonts', FONT_FILE),
      path.join(resourcesPath, 'resources', 'fonts', FONT_FILE),
    );
  }
  candidates.push(path.resolve(__dirname, '../../../resources/fonts', FONT_FILE));
  try {
    candidates.push(path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', FONT_FILE));
  } catch {
    /* not installed (a packaged app carries the file in resources/fonts) */
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found)
    throw new AppError('INTERNAL', `No CJK font for the summary PDF (looked in: ${candidates.join(', ')})`, {
      problem: 'no-cjk-font',
    });
  return found;
}

let cached: Promise<Uint8Array> | null = null;
/** The font bytes, read once per process (8 MB; only the glyphs used go into a PDF). */
export function loadCjkFont(): Promise<Uint8Array> {
  cached ??= fs.promises.readFile(cjkFontPath()).catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}
