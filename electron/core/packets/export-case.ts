import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import {
  formatAmount,
  statusAfterExport,
  type CaseDetail,
  type ExportProblem,
  type ExportResult,
  type PacketFile,
  type RequirementId,
} from '../../../shared/domain/cases';
import type { Evidence } from '../../../shared/domain/types';
import { translate, type Lang } from '../../../shared/i18n';
import { appendAudit } from '../audit/audit-log';
import type { CaseService } from '../cases/case-service';
import { getCase, updateCase } from '../cases/case-repo';
import type { CoreContext } from '../context';
import { fsyncDir } from '../storage/files';
import { complianceHooks } from './compliance';
import { MANIFEST_NAME, type ManifestFile, type PacketManifest } from './manifest';
import { mediaFileName, packetFolderName, statementFileName, summaryFileName } from './naming';
import { copyWithHash, writeDurable, writeZip } from './packet-io';
import { getPacket, packetAt, packetFiles, savePacket } from './packet-repo';
import { buildSummaryPdf, type SummaryFile } from './summary-pdf';
import { imageThumb, videoKeyFrames, type Thumb } from './thumbnails';
import { verifyPacket } from './verify';

export interface ExportOptions {
  outDir: string;
  zip: boolean;
  allowIncomplete: boolean;
  lang?: Lang;
  timeZone?: string;
}

export interface ExportProgress {
  signal: AbortSignal;
  progress(ratio: number | null): void;
}

interface PlannedFile {
  name: string;
  requirement: RequirementId;
  evidence: Evidence;
  source: Evidence;
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
  caseId: number,
  opts: ExportOptions,
  job: ExportProgress,
): Promise<ExportResult> {
  const lang = opts.lang ?? ctx.settings.get().language;
  const t = (k: string, p?: Record<string, string | number>) => translate(lang, k, p);
  const fixed = await makeCompliant(ctx, cases, caseId, job);
  const detail = cases.detail(caseId, lang);
  const { checklist } = detail;
  if (!checklist.complete && !opts.allowIncomplete) {
    const names = (ids: string[]) => ids.map((r) => t(`requirement.${r}`)).join(t('statement.listSep')) || '—';
    throw new AppError(
      'CONFLICT',
      t('packet.incomplete', { missing: names(checklist.missing), failing: names(checklist.failing) }),
      {
        missing: checklist.missing,
        failing: checklist.failing,
      },
    );
  }

  // what goes in: passing (or unchecked) files, in checklist order
  const byId = new Map(detail.evidence.map((e) => [e.id, e]));
  const problems: ExportProblem[] = [];
  const planned: PlannedFile[] = [];
  let position = 0;
  for (const item of checklist.items) {
    const files: { evidence: Evidence; source: Evidence }[] = [];
    for (const entry of item.evidence) {
      if (entry.checkState === 'block') {
        problems.push({ evidenceId: entry.evidenceId, requirement: item.requirement, reason: 'failing' });
        continue;
      }
      for (const id of entry.used) files.push({ evidence: byId.get(id)!, source: byId.get(entry.evidenceId)! });
    }
    if (!files.length) continue;
    position++;
    files.forEach((f, i) =>
      planned.push({
        name: mediaFileName(lang, position, item.requirement, i + 1, files.length, f.evidence.path),
        requirement: item.requirement,
        ...f,
      }),
    );
  }

  const name = packetFolderName(lang, detail.order.orderNo, caseId);
  const outDir = path.resolve(opts.outDir);
  const finalDir = path.join(outDir, name);
  const finalZip = `${finalDir}.zip`;
  const fingerprint = fingerprintOf(detail, lang, planned, problems);

  await fsp.mkdir(outDir, { recursive: true });
  await removeLeftovers(outDir, name);
  const previous = packetAt(ctx.db, finalDir);
  if (previous && previous.fingerprint === fingerprint && (await stillIntact(finalDir, opts.zip ? finalZip : null))) {
    if (!opts.zip && fs.existsSync(finalZip)) await fsp.rm(finalZip, { force: true });
    ctx.db.transaction(() => {
      const c = getCase(ctx.db, caseId);
      ctx.db.prepare('UPDATE packets SET zip_path = ? WHERE id = ?').run(opts.zip ? finalZip : null, previous.id);
      if (statusAfterExport(c.status) !== c.status)
        updateCase(ctx.db, { ...c, status: statusAfterExport(c.status), updatedAt: new Date().toISOString() });
      appendAudit(ctx.db, {
        actor: actor(ctx),
        action: 'packet.export',
        entity: 'case',
        entityId: caseId,
        details: { packetId: previous.id, unchanged: true, fingerprint },
      });
    })();
    job.progress(1);
    return {
      packet: getPacket(ctx.db, previous.id, ctx.paths.root),
      files: packetFiles(ctx.db, previous.id),
      unchanged: true,
      problems,
      fixed,
    };
  }

  const tag = randomUUID().slice(0, 8);
  const staging = path.join(outDir, `.${name}.staging-${tag}`);
  const zipTmp = path.join(outDir, `.${name}.zip.tmp-${tag}`);
  const oldDir = path.join(outDir, `.${name}.old-${tag}`);
  const mediaBytes = planned.reduce((s, p) => s + p.evidence.bytes, 0);
  const totalWork = Math.max(1, mediaBytes * (opts.zip ? 2 : 1) + 8 * 1024 * 1024);
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
    // key frames are grabbed (CPU) while the copies run (disk), one grab at a time
    let chain: Promise<unknown> = Promise.resolve();
    const thumbs = planned.map((p) => {
      const src = path.join(ctx.paths.root, p.evidence.path);
      const t = chain.then(() => (fs.existsSync(src) ? thumbsFor(ctx, p, src, job.signal) : []));
      chain = t.catch(() => undefined);
      return t;
    });
    thumbs.forEach((t) => t.catch(() => undefined)); // awaited below; never unhandled
    const thumbOf = new Map<number, number>();
    for (const [i, p] of planned.entries()) {
      const src = path.join(ctx.paths.root, p.evidence.path);
      if (!fs.existsSync(src)) {
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
        appendAudit(ctx.db, {
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
            t(`packet.problem.${p.reason}`, { id: p.evidenceId, requirement: t(`requirement.${p.requirement}`) }),
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

    if (opts.zip)
      await writeZip(
        staging,
        [...files.map((f) => f.name), MANIFEST_NAME],
        zipTmp,
        new Date(createdAt),
        advance,
        job.signal,
      );
    if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');

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

    const packetId = ctx.db.transaction(() => {
      const id = savePacket(
        ctx.db,
        {
          caseId,
          name,
          dir: finalDir,
          zip: opts.zip ? finalZip : null,
          fingerprint,
          manifestSha256: man.sha256,
          language: lang,
          createdAt,
        },
        files,
      );
      const c = getCase(ctx.db, caseId);
      const status = statusAfterExport(c.status);
      if (status !== c.status) updateCase(ctx.db, { ...c, status, updatedAt: createdAt });
      appendAudit(ctx.db, {
        actor: actor(ctx),
        action: 'packet.export',
        entity: 'case',
        entityId: caseId,
        details: {
          packetId: id,
          dir: finalDir,
          zip: opts.zip ? finalZip : null,
          fingerprint,
          manifestSha256: man.sha256,
          files: files.map((f) => [f.name, f.sha256]),
          problems,
          statusFrom: c.status,
          statusTo: status,
        },
      });
      return id;
    })();
    job.progress(1);
    return { packet: getPacket(ctx.db, packetId, ctx.paths.root), files, unchanged: false, problems, fixed };
  } catch (e) {
    if (movedOld && !fs.existsSync(finalDir)) await fsp.rename(oldDir, finalDir).catch(() => undefined);
    await fsp.rm(staging, { recursive: true, force: true });
    await fsp.rm(zipTmp, { force: true });
    throw e;
  }
}

const actor = (ctx: CoreContext) => ctx.settings.get().operator || 'staff';

/**
 * Before export: run pending checks, and fix failing files where the checks can. A file
 * is fixed only when no passing fixed copy exists yet (a re-export never re-fixes).
 */
async function makeCompliant(
  ctx: CoreContext,
  cases: CaseService,
  caseId: number,
  job: ExportProgress,
): Promise<number[]> {
  const hooks = complianceHooks(ctx);
  const fixed: number[] = [];
  const detail = cases.detail(caseId);
  const entries = detail.checklist.items.flatMap((i) => i.evidence);
  if (hooks.check) {
    for (const id of new Set(entries.filter((e) => e.checkState === 'pending').flatMap((e) => e.used))) {
      await hooks.check(id, job.signal);
    }
  }
  if (hooks.fix) {
    const again = cases.detail(caseId).checklist.items.flatMap((i) => i.evidence);
    for (const id of new Set(again.filter((e) => e.checkState === 'block').map((e) => e.evidenceId))) {
      if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      try {
        const outputs = await hooks.fix(id, { signal: job.signal, onProgress: () => job.progress(null) });
        fixed.push(...outputs.map((o) => o.id));
      } catch (e) {
        if (job.signal.aborted) throw e;
        // not fixable: it stays failing and is reported by the export
      }
    }
  }
  cases.syncOrder(detail.case.orderId);
  return fixed;
}

function fingerprintOf(detail: CaseDetail, lang: Lang, planned: PlannedFile[], problems: ExportProblem[]): string {
  const c = detail.case;
  const facts = [
    c.appealType,
    c.scenario,
    c.signForAt,
    c.refundAt,
    c.proofBeforeRefusal,
    c.fastRefund,
    c.freeShipping,
    c.freightKind,
    c.amountClaimedCents,
    c.orderAmountCents,
    c.notes,
    c.evidenceDueAt,
    c.appealDueAt,
  ];
  const data = JSON.stringify({
    v: 1,
    lang,
    facts,
    order: [detail.order.orderNo, detail.order.trackingNo],
    profile: [c.profileId, c.profileVersion],
    statement: detail.statement,
    checklist: detail.checklist.items.map((i) => [i.requirement, i.state]),
    files: planned.map((p) => [p.name, p.evidence.id, p.evidence.sha256]),
    problems: problems.map((p) => [p.evidenceId, p.reason]),
  });
  return createHash('sha256').update(data).digest('hex');
}

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
      entry.startsWith(`.${name}.old-`)
    ) {
      await fsp.rm(path.join(outDir, entry), { recursive: true, force: true });
    }
  }
}

async function thumbsFor(ctx: CoreContext, p: PlannedFile, src: string, signal: AbortSignal): Promise<Thumb[]> {
  if (p.evidence.kind === 'video') {
    const chapters = p.evidence.id === p.source.id ? p.evidence.chapters : [];
    return videoKeyFrames(src, p.evidence.durationMs, chapters, ctx.paths.tmp, signal);
  }
  const th = await imageThumb(src);
  return th ? [th] : [];
}

function manifestEntry(p: PlannedFile, copied: { sha256: string; bytes: number }): ManifestFile {
  const e = p.evidence;
  const fixedFrom = e.id !== p.source.id ? p.source : null;
  return {
    name: p.name,
    kind: e.kind,
    requirement: p.requirement,
    sha256: copied.sha256,
    bytes: copied.bytes,
    durationMs: e.durationMs,
    evidenceId: e.id,
    sourceEvidenceId: fixedFrom?.id ?? null,
    sourceSha256: fixedFrom?.sha256 ?? null,
    origin: e.origin,
    mode: e.mode,
    checkState: e.checkState,
    capturedAt: e.capturedAt,
    station: e.station || null,
    operator: e.operator || null,
    width: e.width,
    height: e.height,
    chapters: (fixedFrom ?? e).chapters,
  };
}

function buildManifest(
  ctx: CoreContext,
  detail: CaseDetail,
  lang: Lang,
  fingerprint: string,
  createdAt: string,
  files: PacketFile[],
  media: ManifestFile[],
  problems: ExportProblem[],
): PacketManifest {
  const c = detail.case;
  const generated: ManifestFile[] = files
    .filter((f) => f.kind === 'summary' || f.kind === 'statement')
    .map((f) => ({
      name: f.name,
      kind: f.kind,
      requirement: null,
      sha256: f.sha256,
      bytes: f.bytes,
      durationMs: null,
      evidenceId: null,
      sourceEvidenceId: null,
      sourceSha256: null,
      origin: 'generated',
      mode: null,
      checkState: null,
      capturedAt: createdAt,
      station: null,
      operator: null,
      width: null,
      height: null,
      chapters: [],
    }));
  return {
    format: 'proofpack-packet',
    formatVersion: 1,
    createdAt,
    app: { name: 'ProofPack', version: ctx.version },
    language: lang,
    fingerprint,
    profile: { id: detail.profile.id, version: detail.profile.version, name: detail.profile.name[lang] },
    order: { id: detail.order.id, orderNo: detail.order.orderNo, trackingNo: detail.order.trackingNo },
    case: {
      id: c.id,
      appealType: c.appealType,
      scenario: c.scenario,
      status: statusAfterExport(c.status),
      signForAt: c.signForAt,
      refundAt: c.refundAt,
      proofBeforeRefusal: c.proofBeforeRefusal,
      fastRefund: c.fastRefund,
      freeShipping: c.freeShipping,
      freightKind: c.freightKind,
      amountClaimedCents: c.amountClaimedCents,
      amountClaimed: c.amountClaimedCents != null ? formatAmount(c.amountClaimedCents) : null,
      evidenceDueAt: c.evidenceDueAt,
      appealDueAt: c.appealDueAt,
      notes: c.notes,
      createdAt: c.createdAt,
    },
    checklist: detail.checklist.items.map((i) => ({
      requirement: i.requirement,
      required: i.required,
      state: i.state,
      files: media.filter((m) => m.requirement === i.requirement).map((m) => m.name),
    })),
    files: [...media, ...generated],
    problems,
  };
}
