import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/api/result';
import { HEIF_WORKER_SOURCE } from './heif-worker-source';

/**
 * HEIC/HEIF photos (iPhones save them by default). The prebuilt libvips inside sharp reads
 * their header but has no HEVC decoder, so libheif-js (libheif + libde265 built to WASM,
 * no system library) decodes them into RGBA pixels that sharp then works on, the way BMP
 * goes through ffmpeg. The declared size is read from the container first and nothing is
 * decoded above the pixel limit; every decode runs in its own worker thread with the same
 * timeout as other image work, and is terminated when that passes or the caller cancels.
 */
export interface HeifImage {
  /** the display size: the file's rotation/mirroring (irot/imir) applied */
  width: number;
  height: number;
  /** RGBA, width × height × 4; null when the size is over the pixel limit (not decoded) */
  pixels: Buffer | null;
}

export type HeifProblem = 'damaged' | 'truncated' | 'unsupported-format' | 'too-big';

/** A HEIC file the decoder refused; `reason` is what the checks report. */
export class HeifUnreadable extends Error {
  constructor(
    readonly reason: HeifProblem,
    message: string,
  ) {
    super(message);
    this.name = 'HeifUnreadable';
  }
}

/** The whole file goes into the decoder's memory: an iPhone photo is a few MB. */
export const MAX_HEIF_BYTES = 256 * 1024 * 1024;

// libheif's error codes (heif_error_code / heif_suberror_code)
const INVALID_INPUT = 2;
const UNSUPPORTED_FILETYPE = 3;
const UNSUPPORTED_FEATURE = 4;
const PLUGIN_LOADING_ERROR = 11; // "no decoder for this compression format has been built in"
const END_OF_DATA = 100;
const TOO_BIG = -2;

/** The WASM build and its glue, read from app.asar.unpacked in the packaged app. */
const unpacked = (p: string) => p.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
const libheifFiles = (req = createRequire(__filename)) => ({
  glue: unpacked(req.resolve('libheif-js/libheif-wasm/libheif.js')),
  wasm: unpacked(req.resolve('libheif-js/libheif-wasm/libheif.wasm')),
});

interface WorkerReply {
  ok: boolean;
  width?: number;
  height?: number;
  pixels?: Uint8Array | null;
  code?: number;
  subcode?: number;
  message?: string;
}

export function readHeif(
  file: string,
  opts: { maxPixels: number; timeoutMs: number; signal?: AbortSignal },
): Promise<HeifImage> {
  if (opts.signal?.aborted) return Promise.reject(new AppError('CANCELLED', 'Cancelled'));
  return new Promise<HeifImage>((resolve, reject) => {
    const worker = new Worker(HEIF_WORKER_SOURCE, {
      eval: true,
      workerData: { file, maxPixels: opts.maxPixels, maxBytes: MAX_HEIF_BYTES, ...libheifFiles() },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(new AppError('CANCELLED', 'Cancelled')));
    const timer = setTimeout(
      () => settle(() => reject(new AppError('TIMEOUT', `HEIC decoding took longer than ${opts.timeoutMs} ms`))),
      opts.timeoutMs,
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerReply) =>
      settle(() => {
        if (!m.ok) return reject(unreadable(m));
        const pixels = m.pixels ? Buffer.from(m.pixels.buffer, m.pixels.byteOffset, m.pixels.byteLength) : null;
        resolve({ width: m.width ?? 0, height: m.height ?? 0, pixels });
      }),
    );
    // a WASM abort (out of memory …) kills the thread without a reply
    worker.on('error', (e) => settle(() => reject(new HeifUnreadable('damaged', `HEIC decoder: ${e.message}`))));
    worker.on('exit', (code) =>
      settle(() => reject(new HeifUnreadable('damaged', `HEIC decoder stopped (exit ${code})`))),
    );
  });
}

function unreadable(m: WorkerReply): HeifUnreadable {
  const detail = `HEIC: ${m.message ?? 'unreadable'}`;
  if (m.code === TOO_BIG) return new HeifUnreadable('too-big', detail);
  // the container points past the end of the file: a cut-off copy or upload
  if (m.code === INVALID_INPUT && m.subcode === END_OF_DATA) return new HeifUnreadable('truncated', detail);
  // a HEIF holding another codec (AVC, JPEG, VVC …) or a feature libheif lacks
  if (m.code === UNSUPPORTED_FEATURE || m.code === UNSUPPORTED_FILETYPE || m.code === PLUGIN_LOADING_ERROR)
    return new HeifUnreadable('unsupported-format', detail);
  return new HeifUnreadable('damaged', detail);
}
