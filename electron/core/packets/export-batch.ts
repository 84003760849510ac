import { AppError, isAppError } from '../../../shared/api/result';
import type { ExportResult } from '../../../shared/domain/cases';
import type { Id } from '../../../shared/domain/id';
import { translate, type Lang } from '../../../shared/i18n';
import type { ExportProgress } from './export-case';

export interface BatchExportResult {
  results: (
    | { caseId: Id; ok: true; result: ExportResult }
    | { caseId: Id; ok: false; error: { code: string; message: string; details?: unknown } }
  )[];
}

/**
 * Several cases as ONE job (one progress view for a batch). Cases run one after another,
 * so a batch never competes with itself for the disk; one case that cannot be exported is
 * reported beside the others, and the job fails only when none could be.
 */
export async function exportBatch(
  caseIds: Id[],
  job: ExportProgress,
  exportOne: (caseId: Id, sub: ExportProgress) => Promise<ExportResult>,
): Promise<BatchExportResult> {
  const results: BatchExportResult['results'] = [];
  for (const [i, caseId] of caseIds.entries()) {
    if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
    const sub = {
      signal: job.signal,
      progress: (r: number | null) => job.progress(r == null ? null : (i + r) / caseIds.length),
    };
    try {
      results.push({ caseId, ok: true, result: await exportOne(caseId, sub) });
    } catch (e) {
      if (job.signal.aborted) throw e;
      results.push({
        caseId,
        ok: false,
        error: {
          code: isAppError(e) ? e.code : 'INTERNAL',
          message: (e as Error).message,
          // kept so the UI can say why in the user's language
          ...(isAppError(e) && e.details !== undefined ? { details: e.details } : {}),
        },
      });
    }
    job.progress((i + 1) / caseIds.length);
  }
  if (results.every((r) => !r.ok)) {
    const first = results[0] as { error: { code: string; message: string; details?: unknown } };
    const why = typeof first.error.details === 'object' && first.error.details ? first.error.details : {};
    throw new AppError(first.error.code as never, first.error.message, { ...why, results });
  }
  return { results };
}

/** the title a batch export's job shows: the case for one, the count for several */
export const exportJobTitle = (lang: Lang, caseIds: Id[]) =>
  caseIds.length === 1
    ? translate(lang, 'job.export.one', { id: caseIds[0]! })
    : translate(lang, 'job.export.many', { count: caseIds.length });
