import path from 'node:path';
import { AppError, isAppError } from '../../../shared/api/result';
import type { ExportResult, PacketSummary, VerifyReport } from '../../../shared/domain/cases';
import { translate } from '../../../shared/i18n';
import { appendAudit } from '../audit/audit-log';
import type { CaseService } from '../cases/case-service';
import { getCase } from '../cases/case-repo';
import type { Id } from '../../../shared/domain/id';
import type { CoreContext } from '../context';
import { inTransaction } from '../db/transaction';
import { exportCase, type ExportOptions } from './export-case';
import { getPacket, listPackets, recordVerification } from './packet-repo';
import { verifyPacket } from './verify';

export interface BatchExportResult {
  results: (
    | { caseId: Id; ok: true; result: ExportResult }
    | { caseId: Id; ok: false; error: { code: string; message: string; details?: unknown } }
  )[];
}

/**
 * Packets for the app and the CLI: export one or several cases as ONE job (one
 * progress view for a batch; cases run one after another, so a batch never competes
 * with itself for the disk), list, and verify.
 */
export class PacketService {
  constructor(
    private ctx: CoreContext,
    private cases: CaseService,
  ) {}

  async exportOne(
    caseId: Id,
    opts: Partial<ExportOptions>,
    job: { signal: AbortSignal; progress(r: number | null): void },
  ): Promise<ExportResult> {
    await getCase(this.ctx.db, caseId); // NOT_FOUND before any work
    return exportCase(this.ctx, this.cases, caseId, this.options(opts), job);
  }

  async startExport(input: { caseIds: Id[]; zip: boolean; outDir?: string; allowIncomplete: boolean }): Promise<{
    jobId: string;
  }> {
    const ids = [...new Set(input.caseIds)];
    for (const id of ids) await getCase(this.ctx.db, id);
    const lang = this.ctx.settings.get().language;
    const title =
      ids.length === 1
        ? translate(lang, 'job.export.one', { id: ids[0] })
        : translate(lang, 'job.export.many', { count: ids.length });
    const opts = this.options(input);
    const { id } = this.ctx.jobs.start<BatchExportResult>({
      kind: 'packet.export',
      title,
      run: async (job) => {
        const results: BatchExportResult['results'] = [];
        for (const [i, caseId] of ids.entries()) {
          if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
          const sub = {
            signal: job.signal,
            progress: (r: number | null) => job.progress(r == null ? null : (i + r) / ids.length),
          };
          try {
            results.push({ caseId, ok: true, result: await exportCase(this.ctx, this.cases, caseId, opts, sub) });
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
          job.progress((i + 1) / ids.length);
        }
        if (results.every((r) => !r.ok)) {
          const first = results[0] as { error: { code: string; message: string; details?: unknown } };
          const why = typeof first.error.details === 'object' && first.error.details ? first.error.details : {};
          throw new AppError(first.error.code as never, first.error.message, { ...why, results });
        }
        return { results };
      },
    });
    return { jobId: id };
  }

  async list(caseId: Id): Promise<PacketSummary[]> {
    await getCase(this.ctx.db, caseId); // an unknown case is NOT_FOUND, not an empty list
    return listPackets(this.ctx.db, caseId, this.ctx.paths.root);
  }

  /** By packet id: its folder and (when it has one) its zip; by path: that folder or zip. */
  async verify(input: { packetId?: Id; path?: string }): Promise<VerifyReport[]> {
    if (input.packetId != null) {
      const p = await getPacket(this.ctx.db, input.packetId);
      const reports = [await verifyPacket(p.dir)];
      if (p.zip) reports.push(await verifyPacket(p.zip));
      const ok = reports.every((r) => r.ok);
      const at = new Date().toISOString();
      // hashing done first: the transaction holds only the two writes
      await inTransaction(this.ctx.db, async (trx) => {
        await recordVerification(trx, p.id, ok, at);
        await appendAudit(
          trx,
          {
            actor: this.ctx.settings.get().operator || 'staff',
            action: 'packet.verify',
            entity: 'packet',
            entityId: p.id,
            details: {
              ok,
              missing: reports.flatMap((r) => r.missing),
              extra: reports.flatMap((r) => r.extra),
              changed: reports.flatMap((r) => r.changed.map((c) => c.name)),
            },
          },
          new Date(at),
        );
      });
      return reports;
    }
    return [await verifyPacket(input.path!)];
  }

  private options(o: Partial<ExportOptions>): ExportOptions {
    return {
      outDir: o.outDir ? path.resolve(o.outDir) : this.ctx.paths.exports,
      zip: o.zip ?? true,
      allowIncomplete: o.allowIncomplete ?? false,
      lang: o.lang,
      timeZone: o.timeZone,
    };
  }
}
