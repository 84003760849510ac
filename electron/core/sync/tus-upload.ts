import fs from 'node:fs';
import type https from 'node:https';
import { DefaultHttpStack, DetailedError, Upload } from 'tus-js-client';

/** A tus failure with the hub's HTTP status (0: the hub could not be reached at all). */
export class TusUploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Sends one file over tus, streamed from disk (tus-js-client reads an fs.ReadStream by its
 * path, so any slice can be re-read: nothing is held whole in memory). `uploadUrl` is the
 * upload an earlier attempt made: the client asks the hub how far it got and continues
 * from there. `onUploadUrl` gets a new upload's URL as soon as the hub made it, so it
 * survives this process.
 */
export function tusUpload(opts: {
  file: string;
  endpoint: string;
  uploadUrl: string | null;
  headers: Record<string, string>;
  /** the pinned HTTPS agent of a hub with a self-signed certificate */
  agent?: https.Agent;
  metadata: Record<string, string>;
  onUploadUrl: (url: string) => Promise<void>;
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    let urlSaved: Promise<void> = Promise.resolve();
    const upload = new Upload(fs.createReadStream(opts.file), {
      endpoint: opts.endpoint,
      uploadUrl: opts.uploadUrl ?? undefined,
      headers: opts.headers,
      ...(opts.agent ? { httpStack: new DefaultHttpStack({ agent: opts.agent }) } : {}),
      metadata: opts.metadata,
      // the outbox keeps the URL; tus-js-client's own fingerprint store is for browsers
      storeFingerprintForResuming: false,
      // short blips are retried here; anything longer is the outbox's next pass
      retryDelays: [0, 1000, 3000],
      onUploadUrlAvailable: () => {
        if (upload.url) urlSaved = opts.onUploadUrl(upload.url);
      },
      onProgress: (sent, total) => opts.onProgress?.(sent, total),
      onSuccess: () => {
        void urlSaved.then(() => resolve());
      },
      onError: (err) => {
        const status = err instanceof DetailedError ? (err.originalResponse?.getStatus() ?? 0) : 0;
        const body = err instanceof DetailedError ? err.originalResponse?.getBody()?.trim() : undefined;
        void urlSaved.finally(() => reject(new TusUploadError(body || err.message, status)));
      },
    });
    opts.signal?.addEventListener('abort', () => {
      void upload.abort().then(() => reject(new TusUploadError('cancelled', -1)));
    });
    upload.start();
  });
}
