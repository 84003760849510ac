import { EventEmitter } from 'node:events';
import * as fontkit from 'fontkit';

/**
 * The fontkit pdf-lib uses to embed (subset) the CJK font in summary PDFs.
 *
 * Why upstream fontkit and not @pdf-lib/fontkit: the Noto Sans SC font we ship is
 * CID-keyed CFF (OpenType .otf), and @pdf-lib/fontkit 1.1.1 writes broken CFF subsets
 * for it (poppler: "Embedded font file may be invalid", no text rendered). fontkit 2
 * subsets it correctly; pdf-lib only needs `encodeStream()`, which fontkit 2 renamed
 * to `encode()`, so a tiny adapter bridges the two.
 */
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
