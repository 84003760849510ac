import path from 'node:path';
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
import { UploadStore, type Upload, type UploadPiece } from '../../storage/uploads';

/**
 * The UI's side of an import: the file arrives in pieces (never one huge request), is
 * inspected, previewed with a mapping, then imported as a job with progress and cancel.
 * Uploaded files live under the data folder's tmp/imports and are removed after a
 * successful import (or after a day, whichever comes first).
 */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export class ImportService {
  private store: UploadStore;

  constructor(private ctx: CoreContext) {
    this.store = new UploadStore(path.join(ctx.paths.tmp, 'imports'), MAX_UPLOAD_BYTES);
  }

  /** Remove uploads left from earlier sessions (crash, closed window). */
  sweep(now = Date.now()): Promise<void> {
    return this.store.sweep(now);
  }

  upload(input: UploadPiece): Promise<{ uploadId: string; bytes: number }> {
    return this.store.append(input);
  }

  private get(uploadId: string): Upload {
    return this.store.get(uploadId);
  }

  private drop(uploadId: string) {
    this.store.drop(uploadId);
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
          await saveMapping(this.ctx.db, input.sourceName, input.mapping, { ...DEFAULT_OPTIONS, ...input.options });
        }
        if (!result.cancelled) this.drop(up.id);
        return result;
      },
    });
    return { jobId: job.id };
  }
}
