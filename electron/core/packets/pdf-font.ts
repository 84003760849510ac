import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';

/** The CJK font embedded (subset) in summary PDFs and burned into title cards. */
const FONT_FILE = 'NotoSansHans-Regular.otf';

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
