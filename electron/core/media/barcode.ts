import fs from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

/**
 * Barcode reading with zxing-wasm. Its default loader fetches the .wasm from a CDN,
 * which fails offline (warehouses often are): the binary is read from the installed
 * package instead, once per process.
 */
let ready: Promise<unknown> | null = null;

function ensureLoaded(): Promise<unknown> {
  if (!ready) {
    const require = createRequire(__filename);
    const file = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
    const bytes = fs.readFileSync(file.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'));
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    ready = prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  }
  return ready;
}

export interface DecodedCode {
  text: string;
  format: string;
}

/**
 * Decode every barcode in an RGBA image. `formats` are zxing names ('Code128', 'QRCode'
 * …): naming the label's symbologies is 5–10× faster than trying all of them.
 */
export async function decodeRgba(
  rgba: Uint8Array,
  width: number,
  height: number,
  formats: string[],
): Promise<DecodedCode[]> {
  await ensureLoaded();
  const data = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, width * height * 4);
  // zxing only reads .data/.width/.height: no DOM ImageData exists in Node
  const image = { data, width, height, colorSpace: 'srgb' } as unknown as ImageData;
  const results = await readBarcodes(image, { formats: formats as ReaderOptions['formats'], maxNumberOfSymbols: 8 });
  return results.filter((r) => r.isValid && r.text).map((r) => ({ text: r.text, format: r.format }));
}
