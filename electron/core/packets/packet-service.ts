import path from 'node:path';
import type { ExportResult, PacketSummary, VerifyReport } from '../../../shared/domain/cases';
import { appendAudit } from '../audit/audit-log';
import type { CaseService } from '../cases/case-service';
import { getCase } from '../cases/case-repo';
import type { Id } from '../../../shared/domain/id';
import type { CoreContext } from '../context';
import { inTransaction } from '../db/transaction';
import { exportBatch, exportJobTitle, type BatchExportResult } from './export-batch';
import { exportCase, type ExportOptions } from './export-case';
import { getPacket, listPackets, recordVerification } from './packet-repo';
import { verifyPacket, verifyStoredZip } from './verify';

export type { BatchExportResult };

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
    const title = exportJobTitle(this.ctx.settings.get().language, ids);
    const opts = this.options(input);
    const { id } = this.ctx.jobs.start<BatchExportResult>({
      kind: 'packet.export',
      title,
      run: (job) => exportBatch(ids, job, (caseId, sub) => exportCase(this.ctx, this.cases, caseId, opts, sub)),
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
      // a packet made for staff on a PostgreSQL hub is its zip in the hub's store
      const reports = p.zipLocation
        ? [await verifyStoredZip(this.ctx, p.zipLocation, `${p.name}.zip`)]
        : [await verifyPacket(p.dir)];
      if (p.zip && !p.zipLocation) reports.push(await verifyPacket(p.zip));
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
