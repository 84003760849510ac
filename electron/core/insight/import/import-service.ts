import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/api/result';
import type { ColumnMapping } from '../../../../shared/domain/insight/import-fields';
import type {
  ImportInspection,
  ImportOptions,
  ImportPreview,
  ImportResult,
} from '../../../../shared/domain/insight/types';
import type { CoreContext } from '../../context';
import { cellToText, previewRows, resolveFileSetup } from './inspect';
import { DEFAULT_OPTIONS, saveMapping } from './mappings-repo';
import { runImport } from './run-import';

/**
 * The UI's side of an import: the file arrives in pieces (never one huge request), is
 * inspected, previewed with a mapping, then imported as a job with progress and cancel.
 * Uploaded files live under the data folder's tmp/imports and are removed after a
 * successful import (or after a day, whichever comes first).
 */
interface Upload {
  id: string;
  fileName: string;
  file: string;
  bytes: number;
  nextSeq: number;
  complete: boolean;
}

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const UPLOAD_MAX_AGE_MS = 24 * 3600 * 1000;

export class ImportService {
  private uploads = new Map<string, Upload>();

  constructor(private ctx: CoreContext) {}

  private get dir() {
    return path.join(this.ctx.paths.tmp, 'imports');
  }

  /** Remove uploads left from earlier sessions (crash, closed window). */
  async sweep(now = Date.now()): Promise<void> {
    const entries = await fsp.readdir(this.dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(this.dir, e.name);
      const st = await fsp.stat(p).catch(() => null);
      if (st && now - st.mtimeMs > UPLOAD_MAX_AGE_MS && !this.uploads.has(e.name))
        await fsp.rm(p, { recursive: true, force: true });
    }
  }

  async upload(input: {
    uploadId?: string;
    fileName: string;
    seq: number;
    data: Uint8Array;
    final: boolean;
  }): Promise<{ uploadId: string; bytes: number }> {
    let up: Upload | undefined;
    if (input.uploadId) {
      up = this.uploads.get(input.uploadId);
      if (!up) throw new AppError('NOT_FOUND', 'This upload is unknown or expired: choose the file again');
    } else {
      if (input.seq !== 0) throw new AppError('CONFLICT', 'An upload starts with piece 0');
      const id = randomUUID();
      const dir = path.join(this.dir, id);
      await fsp.mkdir(dir, { recursive: true });
      up = {
        id,
        fileName: path.basename(input.fileName).slice(0, 200) || 'orders',
        file: path.join(dir, 'upload.bin'),
        bytes: 0,
        nextSeq: 0,
        complete: false,
      };
      this.uploads.set(id, up);
    }
    if (up.complete) throw new AppError('CONFLICT', 'This upload is already complete');
    if (input.seq < up.nextSeq) return { uploadId: up.id, bytes: up.bytes }; // a retried piece
    if (input.seq > up.nextSeq) throw new AppError('CONFLICT', `Piece ${input.seq} arrived before ${up.nextSeq}`);
    if (up.bytes + input.data.length > MAX_UPLOAD_BYTES) {
      this.drop(up.id);
      throw new AppError('INVALID_INPUT', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, {
        problem: 'too-large',
      });
    }
    await fsp.appendFile(up.file, input.data);
    up.bytes += input.data.length;
    up.nextSeq++;
    up.complete = input.final;
    return { uploadId: up.id, bytes: up.bytes };
  }

  private get(uploadId: string): Upload {
    const up = this.uploads.get(uploadId);
    if (!up || !fs.existsSync(up.file))
      throw new AppError('NOT_FOUND', 'This upload is unknown or expired: choose the file again');
    if (!up.complete) throw new AppError('CONFLICT', 'The file has not finished uploading');
    return up;
  }

  private drop(uploadId: string) {
    const up = this.uploads.get(uploadId);
    this.uploads.delete(uploadId);
    if (up) fs.rmSync(path.dirname(up.file), { recursive: true, force: true });
  }

  async inspect(input: {
    uploadId: string;
    sourceName: string | null;
    options: Partial<ImportOptions>;
  }): Promise<ImportInspection> {
    const up = this.get(input.uploadId);
    const s = await resolveFileSetup(this.ctx, up.file, up.fileName, input.sourceName, input.options);
    return {
      uploadId: up.id,
      fileName: up.fileName,
      bytes: up.bytes,
      kind: s.kind,
      encoding: s.encoding,
      encodingFromBom: s.encodingFromBom,
      delimiter: s.delimiter,
      sheets: s.sheets,
      headerRow: s.headerRow,
      headers: s.headers,
      sample: s.sampleRows.slice(0, 10).map((r) => r.cells.map(cellToText)),
      mapping: s.mapping,
      mappingSource: s.mappingSource,
      options: s.options,
    };
  }

  async preview(input: {
    uploadId: string;
    mapping: ColumnMapping;
    options: Partial<ImportOptions>;
    limit: number;
  }): Promise<ImportPreview> {
    const up = this.get(input.uploadId);
    const s = await resolveFileSetup(this.ctx, up.file, up.fileName, null, input.options);
    return previewRows(s, input.mapping, input.limit);
  }

  /** Start the import job; the job's result is the ImportResult. The mapping is remembered when asked. */
  start(input: {
    uploadId: string;
    sourceName: string;
    mapping: ColumnMapping;
    options: Partial<ImportOptions>;
    remember: boolean;
  }): { jobId: string } {
    const up = this.get(input.uploadId);
    const actor = this.ctx.settings.get().operator;
    const job = this.ctx.jobs.start<ImportResult>({
      kind: 'orders.import',
      title: `import:${up.fileName}`,
      run: async (j) => {
        const result = await runImport(this.ctx, {
          file: up.file,
          fileName: up.fileName,
          sourceName: input.sourceName,
          mapping: input.mapping,
          options: input.options,
          actor,
          signal: j.signal,
          progress: j.progress,
        });
        if (input.remember && !result.cancelled) {
          saveMapping(this.ctx.db, input.sourceName, input.mapping, { ...DEFAULT_OPTIONS, ...input.options });
        }
        if (!result.cancelled) this.drop(up.id);
        return result;
      },
    });
    return { jobId: job.id };
  }
}
