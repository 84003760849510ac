import type { ApiClient } from '../../../shared/api/contract';
import { callOrThrow } from './context';

/** 4 MB pieces: small enough for any request or IPC message, large enough to be quick. */
export const UPLOAD_PIECE_BYTES = 4 * 1024 * 1024;

/**
 * Sends a picked or dropped file in pieces, reading one piece at a time (a multi-GB
 * video never sits in memory), and returns the upload id. `call` names the contract
 * call that receives the pieces (`files.upload` for evidence, `orders.import.upload`
 * for order exports).
 */
export async function uploadInPieces(
  api: ApiClient,
  call: 'files.upload' | 'orders.import.upload',
  file: File,
  onProgress?: (ratio: number) => void,
): Promise<string> {
  let uploadId: string | undefined;
  for (let seq = 0, off = 0; off < file.size || seq === 0; seq++, off += UPLOAD_PIECE_BYTES) {
    const data = new Uint8Array(await file.slice(off, off + UPLOAD_PIECE_BYTES).arrayBuffer());
    const r = await callOrThrow(api, call, {
      uploadId,
      fileName: file.name,
      seq,
      data,
      final: off + UPLOAD_PIECE_BYTES >= file.size,
    });
    uploadId = r.uploadId;
    onProgress?.(r.bytes / Math.max(1, file.size));
  }
  return uploadId!;
}
