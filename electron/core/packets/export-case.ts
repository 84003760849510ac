import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import { statusAfterExport, type ExportResult, type PacketFile } from '../../../shared/domain/cases';
import { translate, type Lang } from '../../../shared/i18n';
import { appendAudit } from '../audit/audit-log';
import type { CaseService } from '../cases/case-service';
import { getCase, updateCase } from '../cases/case-repo';
import { shortRef, type Id } from '../../../shared/domain/id';
import type { CoreContext } from '../context';
import { inTransaction } from '../db/transaction';
import { fsyncDir } from '../storage/files';
import { makeCompliant } from './compliance';
import { MANIFEST_NAME, type ManifestFile } from './manifest';
import { buildManifest, fingerprintOf, manifestEntry, planFiles, thumbsFor } from './packet-contents';
import { packetFolderName, statementFileName, summaryFileName } from './naming';
import { copyWithHash, writeDurable, writeZip } from './packet-io';
import { getPacket, packetAt, packetFiles, savePacket, setPacketZip } from './packet-repo';
import type { SummaryFile } from './summary-pdf';
import { verifyPacket } from './verify';
import { ProfileStore } from '../checks/profile-store';
import { viewsByEvidence } from './side-by-side';
import { composeViews, type Composite } from './compose-views';
import { evidenceSource, type EvidenceSource } from '../evidence/evidence-sources';

export interface ExportOptions {
  outDir: string;
  zip: boolean;
  allowIncomplete: boolean;
  lang?: Lang;
  timeZone?: string;
  /**
   * a hub's store (issue 11, scale-out): the zip goes there (its location returned) and the
   * packet is recorded by that location only once it is stored; nothing stays in `outDir`
   */
  store?: (zipFile: string, name: string, onBytes: (sent: number) => void) => Promise<string>;
  /** who the audit trail names (a hub's staff user); default: the station's operator */
  actor?: string;
}

export interface ExportProgress {
  signal: AbortSignal;
  progress(ratio: number | null): void;
}

/**
 * Exports one case as a packet folder (and zip): only compliant media — failing files
 * are fixed through the checks' fix jobs when they can be, otherwise reported and left
 * out — named for the clerk, plus manifest.json, the summary PDF and the statement.
 * Built in a staging folder and renamed into place, so a packet on disk is always
 * whole; exporting the same inputs again changes nothing.
 */
export async function exportCase(
  ctx: CoreContext,
  cases: CaseService,
  caseId: Id,
  opts: ExportOptions,
  job: ExportProgress,
): Promise<ExportResult> {
  const lang = opts.lang ?? ctx.settings.get().language;
  const t = (k: string, p?: Record<string, string | number>) => translate(lang, k, p);
  const fixed = await makeCompliant(ctx, cases, caseId, job);
  const detail = await cases.detail(caseId, lang);
  const { checklist } = detail;
  if (!checklist.complete && !opts.allowIncomplete) {
    const names = (ids: string[]) => ids.map((r) => t(`requirement.${r}`)).join(t('statement.listSep'));
    const parts = [
      checklist.missing.length ? t('packet.missingList', { list: names(checklist.missing) }) : '',
      checklist.failing.length ? t('packet.failingList', { list: names(checklist.failing) }) : '',
    ].filter(Boolean);
    throw new AppError('CONFLICT', t('packet.incomplete', { detail: parts.join(t('packet.partSep')) }), {
      missing: checklist.missing,
      failing: checklist.failing,
    });
  }

  // a platform that takes one video per set gets the views of a scan side by side
  const profile = await new ProfileStore(ctx.db).find(detail.case.profileId);
  const limit = profile?.video.maxFilesPerSet?.value;
  const merge = limit != null ? { limit, views: await viewsByEvidence(ctx.db, detail.order.id) } : undefined;
  const { planned, problems } = planFiles(detail, lang, merge);

  const name = packetFolderName(lang, detail.order.orderNo, caseId);
  const outDir = path.resolve(opts.outDir);
  const finalDir = path.join(outDir, name);
  const finalZip = `${finalDir}.zip`;
  const fingerprint = fingerprintOf(detail, lang, planned, problems);

  await fsp.mkdir(outDir, { recursive: true });
  await removeLeftovers(outDir, name);
  const previous = await packetAt(ctx.db, finalDir);
  if (previous && previous.fingerprint === fingerprint && (await stillIntact(finalDir, opts.zip ? finalZip : null))) {
    if (!opts.zip && fs.existsSync(finalZip)) await fsp.rm(finalZip, { force: true });
    await inTransaction(ctx.db, async (trx) => {
      const c = await getCase(trx, caseId);
      await setPacketZip(trx, previous.id, opts.zip ? finalZip : null);
      if (statusAfterExport(c.status) !== c.status)
        await updateCase(trx, { ...c, status: statusAfterExport(c.status), updatedAt: new Date().toISOString() });
      await appendAudit(trx, {
        actor: opts.actor ?? actor(ctx),
        action: 'packet.export',
        entity: 'case',
        entityId: caseId,
        details: { packetId: previous.id, unchanged: true, fingerprint },
      });
    });
    job.progress(1);
    return {
      packet: await getPacket(ctx.db, previous.id, ctx.paths.root),
      files: await packetFiles(ctx.db, previous.id),
      unchanged: true,
      problems,
      fixed,
    };
  }

  const tag = randomUUID().slice(0, 8);
  const staging = path.join(outDir, `.${name}.staging-${tag}`);
  const zipTmp = path.join(outDir, `.${name}.zip.tmp-${tag}`);
  const oldDir = path.join(outDir, `.${name}.old-${tag}`);
  // a hub's files from an S3 store are fetched here first (evidence-sources.ts)
  const sourcesDir = path.join(outDir, `.${name}.sources-${tag}`);
  const mediaBytes = planned.reduce((s, p) => s + p.evidence.bytes, 0);
  // bytes copied, zipped and (to a hub's store) sent, plus the PDF
  const totalWork = Math.max(1, mediaBytes * (opts.store ? 3 : opts.zip ? 2 : 1) + 8 * 1024 * 1024);
  let done = 0;
  const advance = (n: number) => {
    done += n;
    job.progress(Math.min(0.99, done / totalWork));
  };
  let movedOld = false;
  try {
    await fsp.mkdir(staging);
    const files: PacketFile[] = [];
    const manifestFiles: ManifestFile[] = [];
    const summaryFiles: SummaryFile[] = [];
    // side-by-side composites are made first: the thumbnails are taken from them
    const composed = new Map<number, Composite>();
    for (const [i, p] of planned.entries()) {
      if (!p.views) continue;
      const made = await composeViews(ctx, p, path.join(staging, p.name), problems, job.signal);
      if (made) composed.set(i, made);
    }
    const sources = new Map<number, EvidenceSource | null>();
    for (const [i, p] of planned.entries())
      if (!p.views) sources.set(i, await evidenceSource(ctx, p.evidence, sourcesDir, job.signal));
    // key frames are grabbed (CPU) while the copies run (disk), one grab at a time
    let chain: Promise<unknown> = Promise.resolve();
    const thumbs = planned.map((p, i) => {
      const src = composed.has(i) ? path.join(staging, p.name) : (sources.get(i)?.file ?? '');
      const t = chain.then(() => (src && fs.existsSync(src) ? thumbsFor(ctx, p, src, job.signal) : []));
      chain = t.catch(() => undefined);
      return t;
    });
    thumbs.forEach((t) => t.catch(() => undefined)); // awaited below; never unhandled
    const thumbOf = new Map<number, number>();
    for (const [i, p] of planned.entries()) {
      if (p.views) {
        const made = composed.get(i);
        if (!made) continue; // a view was missing or not intact: reported by composeViews
        files.push({ name: p.name, kind: 'video', requirement: p.requirement, evidenceId: null, ...made.file });
        manifestFiles.push(made.manifest);
        summaryFiles.push({
          name: p.name,
          kind: 'video',
          requirement: p.requirement,
          sha256: made.file.sha256,
          bytes: made.file.bytes,
          durationMs: made.file.durationMs,
          capturedAt: p.evidence.capturedAt,
          thumbs: [],
        });
        thumbOf.set(summaryFiles.length - 1, i);
        continue;
      }
      const src = sources.get(i)?.file;
      if (!src || !fs.existsSync(src)) {
        problems.push({ evidenceId: p.evidence.id, requirement: p.requirement, reason: 'missing-file' });
        continue;
      }
      const copied = await copyWithHash(src, path.join(staging, p.name), advance, job.signal);
      if (copied.sha256 !== p.evidence.sha256) {
        await fsp.rm(path.join(staging, p.name), { force: true });
        problems.push({
          evidenceId: p.evidence.id,
          requirement: p.requirement,
          reason: 'tampered',
          detail: `expected ${p.evidence.sha256}, found ${copied.sha256}`,
        });
        await appendAudit(ctx.db, {
          actor: 'system',
          action: 'evidence.hash-mismatch',
          entity: 'evidence',
          entityId: p.evidence.id,
          details: { expected: p.evidence.sha256, actual: copied.sha256 },
        });
        continue;
      }
      const kind = p.evidence.kind;
      files.push({
        name: p.name,
        kind,
        requirement: p.requirement,
        evidenceId: p.evidence.id,
        sha256: copied.sha256,
        bytes: copied.bytes,
        durationMs: p.evidence.durationMs,
      });
      manifestFiles.push(manifestEntry(p, copied));
      summaryFiles.push({
        name: p.name,
        kind,
        requirement: p.requirement,
        sha256: copied.sha256,
        bytes: copied.bytes,
        durationMs: p.evidence.durationMs,
        capturedAt: p.evidence.capturedAt,
        thumbs: [],
      });
      thumbOf.set(summaryFiles.length - 1, i);
    }
    for (const [k, i] of thumbOf) summaryFiles[k].thumbs = await thumbs[i];
    const damaged = problems.filter((p) => p.reason !== 'failing');
    if (damaged.length && !opts.allowIncomplete) {
      throw new AppError(
        'CONFLICT',
        damaged
          .map((p) =>
            t(`packet.problem.${p.reason}`, {
              id: shortRef(p.evidenceId),
              requirement: t(`requirement.${p.requirement}`),
            }),
          )
          .join('\n'),
        { problems: damaged },
      );
    }

    const createdAt = new Date().toISOString();
    const statementText = `\uFEFF${detail.statement.replace(/\r?\n/g, '\r\n')}\r\n`;
    const stName = statementFileName(lang);
    const st = await writeDurable(path.join(staging, stName), statementText);
    files.push({
      name: stName,
      kind: 'statement',
      requirement: null,
      evidenceId: null,
      sha256: st.sha256,
      bytes: st.bytes,
      durationMs: null,
    });

    const asExported = { ...detail, case: { ...detail.case, status: statusAfterExport(detail.case.status) } };
    // pdf-lib and fontkit are loaded with the first packet, not by every process that
    // could build one (a hub's memory budget)
    const { buildSummaryPdf } = await import('./summary-pdf');
    const pdf = await buildSummaryPdf({
      lang,
      timeZone: opts.timeZone,
      appVersion: ctx.version,
      generatedAt: createdAt,
      detail: asExported,
      files: summaryFiles,
      problems,
    });
    const pdfName = summaryFileName(lang);
    const sum = await writeDurable(path.join(staging, pdfName), pdf);
    files.push({
      name: pdfName,
      kind: 'summary',
      requirement: null,
      evidenceId: null,
      sha256: sum.sha256,
      bytes: sum.bytes,
      durationMs: null,
    });
    advance(4 * 1024 * 1024);

    const manifest = buildManifest(ctx, detail, lang, fingerprint, createdAt, files, manifestFiles, problems);
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    const man = await writeDurable(path.join(staging, MANIFEST_NAME), manifestText);
    await fsyncDir(staging);

    if (opts.zip || opts.store)
      await writeZip(
        staging,
        [...files.map((f) => f.name), MANIFEST_NAME],
        zipTmp,
        new Date(createdAt),
        advance,
        job.signal,
      );
    if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');

    let placed: { dir: string; zip: string | null; zipLocation: string | null };
    if (opts.store) {
      // into the hub's store; the local build is only a means to it
      const location = await opts.store(zipTmp, `${name}.zip`, advance);
      await fsp.rm(staging, { recursive: true, force: true });
      await fsp.rm(zipTmp, { force: true });
      placed = { dir: location, zip: null, zipLocation: location };
    } else {
      // publish: old folder aside, staging into place, zip into place, old folder removed
      if (fs.existsSync(finalDir)) {
        await fsp.rename(finalDir, oldDir);
        movedOld = true;
      }
      await fsp.rename(staging, finalDir);
      if (opts.zip) await fsp.rename(zipTmp, finalZip);
      else await fsp.rm(finalZip, { force: true });
      await fsyncDir(outDir);
      if (movedOld) await fsp.rm(oldDir, { recursive: true, force: true });
      placed = { dir: finalDir, zip: opts.zip ? finalZip : null, zipLocation: null };
    }

    // the files are published; the packet row, the case's status and the audit entry together
    const packetId = await inTransaction(ctx.db, async (trx) => {
      const id = await savePacket(
        trx,
        {
          caseId,
          name,
          ...placed,
          fingerprint,
          manifestSha256: man.sha256,
          language: lang,
          createdAt,
        },
        files,
      );
      const c = await getCase(trx, caseId);
      const status = statusAfterExport(c.status);
      if (status !== c.status) await updateCase(trx, { ...c, status, updatedAt: createdAt });
      await appendAudit(trx, {
        actor: opts.actor ?? actor(ctx),
        action: 'packet.export',
        entity: 'case',
        entityId: caseId,
        details: {
          packetId: id,
          dir: placed.dir,
          zip: placed.zipLocation ?? placed.zip,
          fingerprint,
          manifestSha256: man.sha256,
          files: files.map((f) => [f.name, f.sha256]),
          problems,
          statusFrom: c.status,
          statusTo: status,
        },
      });
      return id;
    });
    job.progress(1);
    return { packet: await getPacket(ctx.db, packetId, ctx.paths.root), files, unchanged: false, problems, fixed };
  } catch (e) {
    if (movedOld && !fs.existsSync(finalDir)) await fsp.rename(oldDir, finalDir).catch(() => undefined);
    await fsp.rm(staging, { recursive: true, force: true });
    await fsp.rm(zipTmp, { force: true });
    throw e;
  } finally {
    await fsp.rm(sourcesDir, { recursive: true, force: true });
  }
}

const actor = (ctx: CoreContext) => ctx.settings.get().operator || 'staff';

async function stillIntact(dir: string, zip: string | null): Promise<boolean> {
  if (!(await verifyPacket(dir)).ok) return false;
  return zip ? (await verifyPacket(zip)).ok : true;
}

/** Staging folders or zips left by an export that crashed part-way. */
async function removeLeftovers(outDir: string, name: string): Promise<void> {
  for (const entry of await fsp.readdir(outDir)) {
    if (
      entry.startsWith(`.${name}.staging-`) ||
      entry.startsWith(`.${name}.zip.tmp-`) ||
      entry.startsWith(`.${name}.old-`) ||
      entry.startsWith(`.${name}.sources-`)
    ) {
      await fsp.rm(path.join(outDir, entry), { recursive: true, force: true });
    }
  }
}
