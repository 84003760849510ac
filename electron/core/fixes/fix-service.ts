import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FixJobResult, FixStarted } from '../../../shared/api/calls/checks';
import { AppError } from '../../../shared/api/result';
import type { Evidence, Id } from '../../../shared/domain/types';
import { translate } from '../../../shared/i18n';
import type { RuleProfile } from '../../../shared/rules/profile-schema';
import { appendAudit } from '../audit/audit-log';
import type { CheckService } from '../checks/check-service';
import { inspectFile, type Inspection } from '../checks/inspect';
import { notifyEvidenceAdded, type CoreContext } from '../context';
import { inTransaction } from '../db/transaction';
import { getEvidence, insertEvidence } from '../evidence/evidence-repo';
import type { JobContext } from '../jobs/job-manager';
import { resolveInside, sha256File, toPosix } from '../storage/files';
import { evidenceSource } from '../evidence/evidence-sources';
import { parseMirroredPath } from '../hub/hub-mirror';
import { fixFile, splitIndexOf, type FixOutput, type FixResult } from './fix-file';
import { planFix, type FixRequest } from './plan';

/**
 * Fixes inside the app: each is a job (progress, cancel, retry); outputs are new files
 * next to the original in the data folder, hashed, recorded as evidence with origin
 * "fixed" and parent_id = the original, audited, and checked like any new file.
 */
export class FixService {
  constructor(
    private ctx: CoreContext,
    private checks: CheckService,
  ) {}

  /**
   * The file to fix (evidence-sources.ts: on a hub, a station's file from the store; from
   * S3 a copy in tmp, removed by `release`) and where its fixed files go: beside it in the
   * data folder, or for a station's file under `media/hub-fixed/<evidence>/` (the hub's
   * store holds only what stations sent).
   */
  private async source(e: Evidence, signal?: AbortSignal) {
    const src = await evidenceSource(this.ctx, e, path.join(this.ctx.paths.tmp, 'fix-sources'), signal);
    if (!src) throw new AppError('NOT_FOUND', `The file of evidence ${e.id} is missing`);
    // read where its record says in the data folder: beside it; from a hub's store (a station's
    // file, or one a clerk added on a hub of several processes): into `media/hub-fixed`
    const inDataFolder = !parseMirroredPath(e.path) && resolveInside(this.ctx.paths.root, e.path) === src.file;
    const outDir = inDataFolder ? path.dirname(src.file) : path.join(this.ctx.paths.media, 'hub-fixed', e.id);
    return { file: src.file, outDir, release: src.release };
  }

  /** Plans first (so "nothing to fix" / "cannot be fixed" answer at once), then starts the job. */
  async start(input: {
    evidenceId: Id;
    trim?: { startSec: number; endSec: number };
    split?: boolean;
    profileId?: string;
  }): Promise<FixStarted> {
    const e = await getEvidence(this.ctx.db, input.evidenceId);
    const profile = input.profileId
      ? await this.checks.profiles.get(input.profileId)
      : await this.checks.activeProfile();
    const req: FixRequest = { trim: input.trim, forceSplit: input.split, expectDocument: e.kind === 'document' };
    const src = await this.source(e);
    const inspection = await inspectFile(src.file, { label: false })
      .catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') throw new AppError('NOT_FOUND', `The file of evidence ${e.id} is missing`);
        throw err;
      })
      .finally(() => src.release());
    const plan = preflight(inspection, profile, req);
    const lang = this.ctx.settings.get().language;
    const name = e.originalName ?? path.posix.basename(e.path);
    let first: Inspection | null = inspection;
    const job = this.ctx.jobs.start<FixJobResult>({
      kind: 'fix',
      title: translate(lang, 'fix.job.title', { name }),
      // a retry inspects again: the job never relies on state from a failed attempt
      run: (jc) => {
        const pre = first;
        first = null;
        return this.run(e, profile, req, jc, pre);
      },
    });
    return { jobId: job.id, steps: plan.steps, parts: plan.parts };
  }

  /** For the packet export (compliance hooks): fix now, inside the export's own job. */
  async fixNow(
    evidenceId: Id,
    opts: { signal: AbortSignal; onProgress: (r: number | null) => void },
  ): Promise<Evidence[]> {
    const e = await getEvidence(this.ctx.db, evidenceId);
    const profile = await this.checks.activeProfile();
    const req: FixRequest = { expectDocument: e.kind === 'document' };
    const result = await this.run(e, profile, req, { signal: opts.signal, progress: opts.onProgress }, null);
    await Promise.all(result.outputs.map((o) => this.checks.enqueue(o.evidenceId)));
    const fixed: Evidence[] = [];
    for (const o of result.outputs) fixed.push(await getEvidence(this.ctx.db, o.evidenceId));
    return fixed;
  }

  private async run(
    e: Evidence,
    profile: RuleProfile,
    req: FixRequest,
    jc: JobContext,
    pre: Inspection | null,
  ): Promise<FixJobResult> {
    // each attempt finds the file again (a retry never relies on a copy from a failed one)
    const { file, outDir: dir, release } = await this.source(e, jc.signal);
    const stem = path.basename(e.path).replace(/\.[^.]+$/, '');
    const tag = randomBytes(3).toString('hex');
    await fsp.mkdir(dir, { recursive: true });
    const result: FixResult = await fixFile(file, profile, req, {
      workDir: this.ctx.paths.tmp,
      outputPath: (part, parts, ext) =>
        path.join(dir, `${stem}.fixed-${tag}${parts > 1 ? `.part${String(part).padStart(2, '0')}` : ''}.${ext}`),
      signal: jc.signal,
      onProgress: (r) => jc.progress(r),
      ...(pre ? { inspection: pre } : {}),
    }).finally(() => release());
    if (result.status !== 'done') throw noFixError(result);
    try {
      const recorded = await this.record(e, profile, result.applied, result.outputs, jc.signal);
      return {
        sourceId: e.id,
        steps: result.applied,
        outputs: recorded.map((r, i) => ({
          evidenceId: r.id,
          path: r.path,
          part: result.outputs[i].part,
          parts: result.outputs[i].parts,
        })),
      };
    } catch (err) {
      // never leave files the database does not know about
      for (const o of result.outputs) await fsp.rm(o.file, { force: true });
      throw err;
    }
  }

  private async record(
    src: Evidence,
    profile: RuleProfile,
    steps: string[],
    outputs: FixOutput[],
    signal: AbortSignal,
  ): Promise<Evidence[]> {
    const described: {
      o: FixOutput;
      sha256: string;
      bytes: number;
      format: string | null;
      durationMs: number | null;
      width: number | null;
      height: number | null;
    }[] = [];
    for (const o of outputs) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      const info = await inspectFile(o.file, { label: false });
      const v = info.facts.video;
      described.push({
        o,
        sha256: await sha256File(o.file),
        bytes: info.facts.bytes,
        format: info.facts.format,
        durationMs: v?.durationSec != null ? Math.round(v.durationSec * 1000) : null,
        width: v?.width ?? info.facts.photo?.width ?? null,
        height: v?.height ?? info.facts.photo?.height ?? null,
      });
    }
    const db = this.ctx.db;
    const actor = this.ctx.settings.get().operator;
    const now = new Date();
    // hashing and probing are done above: the transaction holds only the inserts
    const ids = await inTransaction(db, async (trx) => {
      const made: Id[] = [];
      for (const d of described) {
        const id = await insertEvidence(
          trx,
          {
            orderId: src.orderId,
            kind: src.kind,
            origin: 'fixed',
            mode: src.mode,
            path: toPosix(path.relative(this.ctx.paths.root, d.o.file)),
            originalName: src.originalName,
            mime:
              d.format === 'mp4'
                ? 'video/mp4'
                : d.format === 'png'
                  ? 'image/png'
                  : d.format === 'jpg'
                    ? 'image/jpeg'
                    : src.mime,
            sha256: d.sha256,
            bytes: d.bytes,
            durationMs: d.durationMs,
            width: d.width,
            height: d.height,
            station: src.station,
            operator: src.operator,
            capturedAt: src.capturedAt,
            parentId: src.id,
          },
          now,
        );
        await trx
          .insertInto('fix_outputs')
          .values({
            evidence_id: id,
            source_id: src.id,
            steps: JSON.stringify(steps),
            part: d.o.part,
            parts: d.o.parts,
            source_start_ms: ms(d.o.sourceStartSec),
            source_end_ms: ms(d.o.sourceEndSec),
            profile_id: profile.id,
            profile_version: profile.version,
            job_id: null,
            created_at: now.toISOString(),
          })
          .execute();
        await appendAudit(
          trx,
          {
            actor,
            action: 'evidence.fixed',
            entity: 'evidence',
            entityId: id,
            details: {
              sourceId: src.id,
              sourceSha256: src.sha256,
              sha256: d.sha256,
              bytes: d.bytes,
              steps,
              part: d.o.part,
              parts: d.o.parts,
              profile: `${profile.id}@${profile.version}`,
            },
          },
          now,
        );
        made.push(id);
      }
      return made;
    });
    const recorded: Evidence[] = [];
    for (const id of ids) {
      const e = await getEvidence(db, id);
      await notifyEvidenceAdded(this.ctx, e);
      recorded.push(e);
    }
    return recorded;
  }
}

const ms = (s: number | null) => (s == null ? null : Math.round(s * 1000));

function preflight(inspection: Inspection, profile: RuleProfile, req: FixRequest) {
  const plan = planFix(inspection.facts, profile, splitIndexOf(inspection), req);
  if (plan.kind === 'nothing') throw noFixError({ status: 'nothing' });
  if (plan.kind === 'unfixable') throw noFixError({ status: 'unfixable', reason: plan.reason, params: plan.params });
  return { steps: plan.steps, parts: plan.kind === 'video' ? plan.cuts.length + 1 : 1 };
}

/** CONFLICT with the reason as an i18n key the UI can show (`fix.nothing`, `fix.cannot.*`). */
function noFixError(r: Exclude<FixResult, { status: 'done' }>): AppError {
  if (r.status === 'nothing')
    return new AppError('CONFLICT', 'Nothing to fix: the file already meets the rules', {
      reason: 'nothing',
      key: 'fix.nothing',
    });
  return new AppError('CONFLICT', `This cannot be fixed automatically (${r.reason})`, {
    reason: r.reason,
    key: `fix.cannot.${r.reason}`,
    params: r.params,
  });
}
