import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';

/**
 * Files sent from the UI arrive in pieces (never one huge request or IPC message) and
 * are assembled in a temp folder under the data folder. Pieces come in order; a retried
 * piece is ignored. Leftovers of a crash or a closed window are swept after a day.
 */
export interface Upload {
  id: string;
  fileName: string;
  file: string;
  bytes: number;
  nextSeq: number;
  complete: boolean;
}

export interface UploadPiece {
  uploadId?: string;
  fileName: string;
  seq: number;
  data: Uint8Array;
  final: boolean;
}

const MAX_AGE_MS = 24 * 3600 * 1000;

export class UploadStore {
  private uploads = new Map<string, Upload>();

  constructor(
    private dir: string,
    readonly maxBytes: number,
  ) {}

  async sweep(now = Date.now()): Promise<void> {
    const entries = await fsp.readdir(this.dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(this.dir, e.name);
      const st = await fsp.stat(p).catch(() => null);
      if (st && now - st.mtimeMs > MAX_AGE_MS && !this.uploads.has(e.name))
        await fsp.rm(p, { recursive: true, force: true });
    }
  }

  async append(input: UploadPiece): Promise<{ uploadId: string; bytes: number }> {
    let up: Upload | undefined;
    if (input.uploadId) {
      up = this.uploads.get(input.uploadId);
      if (!up)
        throw new AppError('NOT_FOUND', 'This upload is unknown or expired: choose the file again', {
          problem: 'upload-expired',
        });
    } else {
      if (input.seq !== 0)
        throw new AppError('CONFLICT', 'An upload starts with piece 0', { problem: 'upload-out-of-order' });
      const id = randomUUID();
      const dir = path.join(this.dir, id);
      await fsp.mkdir(dir, { recursive: true });
      up = {
        id,
        fileName: path.basename(input.fileName).slice(0, 200) || 'upload',
        file: path.join(dir, 'upload.bin'),
        bytes: 0,
        nextSeq: 0,
        complete: false,
      };
      this.uploads.set(id, up);
    }
    if (up.complete) throw new AppError('CONFLICT', 'This upload is already complete', { problem: 'upload-complete' });
    if (input.seq < up.nextSeq) return { uploadId: up.id, bytes: up.bytes }; // a retried piece
    if (input.seq > up.nextSeq)
      throw new AppError('CONFLICT', `Piece ${input.seq} arrived before ${up.nextSeq}`, {
        problem: 'upload-out-of-order',
      });
    if (up.bytes + input.data.length > this.maxBytes) {
      this.drop(up.id);
      throw new AppError('INVALID_INPUT', `The file is larger than ${Math.round(this.maxBytes / 1024 / 1024)} MB`, {
        problem: 'too-large',
        maxMb: Math.round(this.maxBytes / 1024 / 1024),
      });
    }
    try {
      await fsp.appendFile(up.file, input.data);
    } catch (e) {
      this.drop(up.id);
      throw e;
    }
    up.bytes += input.data.length;
    up.nextSeq++;
    up.complete = input.final;
    return { uploadId: up.id, bytes: up.bytes };
  }

  /** A finished upload, ready to be read. */
  get(uploadId: string): Upload {
    const up = this.uploads.get(uploadId);
    if (!up || !fs.existsSync(up.file))
      throw new AppError('NOT_FOUND', 'This upload is unknown or expired: choose the file again', {
        problem: 'upload-expired',
      });
    if (!up.complete)
      throw new AppError('CONFLICT', 'The file has not finished uploading', { problem: 'upload-unfinished' });
    return up;
  }

  drop(uploadId: string): void {
    const up = this.uploads.get(uploadId);
    this.uploads.delete(uploadId);
    if (up) fs.rmSync(path.dirname(up.file), { recursive: true, force: true });
  }
}
