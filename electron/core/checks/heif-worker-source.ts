/**
 * The code of the worker thread that runs libheif (WASM, with libde265 for HEVC). It is
 * plain CommonJS in a string, evaluated by `new Worker(code, { eval: true })`: a worker
 * file would need its own bundler entry for the Electron build, and a function's
 * toString() would carry the test transpiler's helpers into a context without them.
 *
 * A worker because libheif decodes synchronously: only terminating the thread stops a
 * decode that runs past its timeout, and its memory goes with the thread.
 *
 * workerData: { file, maxPixels, maxBytes, glue, wasm } (glue/wasm: libheif-js paths).
 * Posts exactly one message: { ok: true, width, height, pixels: Uint8Array | null } with
 * the display size (irot/imir applied) and RGBA pixels, or, over maxPixels, pixels null
 * and nothing decoded; or { ok: false, code, subcode, message } with libheif's error.
 */
export const HEIF_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, maxPixels, maxBytes, glue, wasm } = workerData;
const post = (msg, transfer) => parentPort.postMessage(msg, transfer || []);
const failed = (e, where) =>
  post({ ok: false, code: e.code ? e.code.value : -1, subcode: e.subcode ? e.subcode.value : -1, message: where + ': ' + e.message });

async function main() {
  const size = fs.statSync(file).size;
  if (size > maxBytes) return post({ ok: false, code: -2, subcode: 0, message: 'file of ' + size + ' bytes' });
  const quiet = () => {};
  const h = require(glue)({ wasmBinary: fs.readFileSync(wasm), print: quiet, printErr: quiet });
  const ctx = h.heif_context_alloc();
  // the container only: boxes, item locations, declared sizes; no pixel is decoded here
  const read = h.heif_context_read_from_memory(ctx, fs.readFileSync(file));
  if (read.code.value !== 0) return failed(read, 'read');
  const handle = h.heif_js_context_get_primary_image_handle(ctx);
  if (handle.code) return failed(handle, 'primary image');
  // the size after the rotation and mirroring the file declares (irot/imir)
  const width = h.heif_image_handle_get_width(handle);
  const height = h.heif_image_handle_get_height(handle);
  if (!(width > 0 && height > 0) || width * height > maxPixels) return post({ ok: true, width, height, pixels: null });
  const img = await h.heif_js_decode_image2(
    handle,
    h.heif_colorspace.heif_colorspace_RGB,
    h.heif_chroma.heif_chroma_interleaved_RGBA,
  );
  if (!img || img.code) return failed(img || { message: 'no image' }, 'decode');
  const plane = img.channels.find((c) => c.id === h.heif_channel.heif_channel_interleaved);
  if (!plane) return failed({ message: 'no RGBA plane' }, 'decode');
  const row = plane.width * 4;
  let pixels = plane.data;
  if (plane.stride !== row) {
    pixels = new Uint8Array(row * plane.height);
    for (let y = 0; y < plane.height; y++) pixels.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
  }
  if (pixels.byteOffset !== 0 || pixels.byteLength !== pixels.buffer.byteLength) pixels = pixels.slice();
  post({ ok: true, width: plane.width, height: plane.height, pixels }, [pixels.buffer]);
}

main().catch((e) => post({ ok: false, code: -1, subcode: -1, message: String((e && e.message) || e) }));
`;
