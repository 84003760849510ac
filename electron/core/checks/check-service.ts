import { performance } from 'node:perf_hooks';
import type { EvidenceCheck } from '../../../shared/api/calls/checks';
import { AppError, isAppError } from '../../../shared/api/result';
import type { Evidence, Id } from '../../../shared/domain/types';
import { DEFAULT_PROFILE_ID } from '../../../shared/rules/builtin';
import { evaluate } from '../../../shared/rules/evaluate';
import type { ProbeFacts } from '../../../shared/rules/facts';
import { stateOf } from '../../../shared/rules/findings';
import type { RuleProfile } from '../../../shared/rules/profile-schema';
import type { CoreContext } from '../context';
import { getEvidence } from '../evidence/evidence-repo';
import { getOrder } from '../orders/order-repo';
import { evidenceSource } from '../evidence/evidence-sources';
import { labelOptions } from './check-file';
import { inspectFile } from './inspect';
import { cameraPartOfEvidence, withCameraGap } from '../cameras/camera-parts-repo';
import { allStoredFacts, checksForOrder, latestCheck, saveCheck } from './check-store';
import type { ProfileStore } from './profile-store';

/**
 * Runs the checks of evidence files in the background, one at a time and niced, so a
 * packer's next recording never waits for them: every new file (recorded, recovered,
 * imported, fixed) is queued by the onEvidenceAdded listener; results are stored and
 * announced with 'evidence.changed'.
 */
export class CheckService {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = new Map<Id, Promise<EvidenceCheck>>();
  private abort = new AbortController();
  private closed = false;

  constructor(
    private ctx: CoreContext,
    readonly profiles: ProfileStore,
  ) {}

  /** The station's profile; a deleted custom profile falls back to the default one. */
  async activeProfile(): Promise<RuleProfile> {
    const id = this.ctx.settings.get().profileId;
    return (await this.profiles.find(id)) ?? this.profiles.get(DEFAULT_PROFILE_ID);
  }

  private lang() {
    return this.ctx.settings.get().language;
  }

  /** The onEvidenceAdded listener: queue, never wait, never throw. */
  readonly onEvidenceAdded = (e: Evidence) => this.background(e.id);

  private background(evidenceId: Id): void {
    this.enqueue(evidenceId).catch((err) => {
      // a file removed (retention) while its check ran needs no result
      if (!this.closed && !(isAppError(err) && err.code === 'NOT_FOUND'))
        console.error(`[proofpack] check of evidence ${evidenceId} failed`, err);
    });
  }

  /** Queue a check (the same evidence queued twice is checked once). */
  enqueue(evidenceId: Id, profileId?: string): Promise<EvidenceCheck> {
    const existing = this.queued.get(evidenceId);
    if (existing && !profileId) return existing;
    const run = this.tail.then(() => this.runOne(evidenceId, profileId));
    const settled = run.finally(() => {
      if (this.queued.get(evidenceId) === settled) this.queued.delete(evidenceId);
    });
    this.queued.set(evidenceId, settled);
    this.tail = settled.catch(() => undefined);
    return settled;
  }

  private async runOne(evidenceId: Id, profileId?: string): Promise<EvidenceCheck> {
    if (this.closed) throw new AppError('CANCELLED', 'The app is closing');
    const e = await getEvidence(this.ctx.db, evidenceId);
    const order = await getOrder(this.ctx.db, e.orderId);
    const profile = profileId ? await this.profiles.get(profileId) : await this.activeProfile();
    const expected = order.trackingNo;
    const t0 = performance.now();
    // a file in the data folder, or on a hub a station's file in the hub's store
    const source = await evidenceSource(this.ctx, e, this.ctx.paths.tmp, this.abort.signal).catch(() => null);
    const file = source?.file;
    let facts: ProbeFacts;
    try {
      if (!file) throw Object.assign(new Error('not in the data folder or the hub store'), { code: 'ENOENT' });
      const label = labelOptions(profile);
      const r = await inspectFile(file, {
        expected,
        lowPriority: true,
        signal: this.abort.signal,
        // a document (voucher, red-stamp proof) carries no shipping label to read
        label: e.kind === 'document' || !label ? false : label,
        labelHintsSec: e.chapters.filter((c) => /label|面单/i.test(c.step)).map((c) => c.atMs / 1000),
      });
      const part = await cameraPartOfEvidence(this.ctx.db, evidenceId);
      facts = withCameraGap(r.facts, part?.gapMs ?? null, part?.cardMs ?? null);
    } catch (err) {
      if (isAppError(err) && err.code === 'CANCELLED') throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      facts = missingFacts(e);
    } finally {
      await source?.release();
    }
    if (this.closed) throw new AppError('CANCELLED', 'The app is closing');
    const findings = evaluate(facts, profile, { expectDocument: e.kind === 'document' });
    const saved = await saveCheck(this.ctx.db, {
      evidenceId,
      profile: { id: profile.id, version: profile.version },
      state: stateOf(findings),
      facts,
      findings,
      expectedCode: expected,
      tookMs: performance.now() - t0,
    });
    if (!saved) throw new AppError('NOT_FOUND', `Evidence ${evidenceId} was removed while it was being checked`);
    this.ctx.events.emit('evidence.changed', { orderId: e.orderId, evidenceId });
    const check = await latestCheck(this.ctx.db, evidenceId, this.lang());
    if (!check) throw new AppError('NOT_FOUND', `Evidence ${evidenceId} was removed while it was being checked`);
    if (check.state === 'block') await this.publishFailure(e, check);
    return check;
  }

  /** `evidence.check-failed` for webhooks: a file the platform would refuse as it is */
  private async publishFailure(e: Evidence, check: EvidenceCheck): Promise<void> {
    try {
      const order = await getOrder(this.ctx.db, e.orderId);
      await this.ctx.webhooks.publish('evidence.check-failed', {
        evidenceId: e.id,
        orderId: e.orderId,
        orderNo: order.orderNo,
        kind: e.kind,
        path: e.path,
        sha256: e.sha256,
        profile: check.profile,
        findings: check.findings
          .filter((f) => f.severity === 'block')
          .map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix ?? null })),
      });
    } catch (err) {
      // a webhook must never fail a check
      console.error('[proofpack] check-failed event not queued', err);
    }
  }

  async forEvidence(evidenceId: Id): Promise<EvidenceCheck | null> {
    await getEvidence(this.ctx.db, evidenceId); // NOT_FOUND for an unknown id
    return latestCheck(this.ctx.db, evidenceId, this.lang());
  }

  async forOrder(orderId: Id): Promise<EvidenceCheck[]> {
    await getOrder(this.ctx.db, orderId);
    return checksForOrder(this.ctx.db, orderId, this.lang());
  }

  /**
   * Re-judge stored facts against the active profile: a profile edit or a switch of
   * platform updates every file's state at once, without reading any file again.
   */
  async reevaluate(): Promise<number> {
    const profile = await this.activeProfile();
    let n = 0;
    const orders = new Set<Id>();
    const kinds = new Map(
      (await this.ctx.db.selectFrom('evidence').select(['id', 'kind', 'order_id']).execute()).map((r) => [r.id, r]),
    );
    for (const s of await allStoredFacts(this.ctx.db)) {
      if (s.profileId === profile.id && s.profileVersion === profile.version) continue;
      const row = kinds.get(s.evidenceId);
      const findings = evaluate(s.facts, profile, { expectDocument: row?.kind === 'document' });
      await saveCheck(this.ctx.db, {
        evidenceId: s.evidenceId,
        profile: { id: profile.id, version: profile.version },
        state: stateOf(findings),
        facts: s.facts,
        findings,
        expectedCode: s.expectedCode,
        tookMs: s.tookMs,
      });
      if (row) orders.add(row.order_id);
      n++;
    }
    // one event per order, not per file: a profile switch may touch thousands of files
    for (const orderId of orders) this.ctx.events.emit('evidence.changed', { orderId, evidenceId: null });
    return n;
  }

  /** At app start: files never checked (a crash, an older version) are queued. */
  async resumePending(): Promise<number> {
    const ids = await this.ctx.db
      .selectFrom('evidence as e')
      .leftJoin('evidence_checks as c', 'c.evidence_id', 'e.id')
      .select('e.id')
      .where('c.id', 'is', null)
      .orderBy('e.id')
      .execute();
    for (const { id } of ids) this.background(id);
    return ids.length;
  }

  /** Wait for every queued check (the CLI does before it exits). */
  async idle(): Promise<void> {
    while (this.queued.size) await Promise.allSettled([...this.queued.values()]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await Promise.allSettled([...this.queued.values()]);
  }
}

function missingFacts(e: Evidence): ProbeFacts {
  const name = e.path.split('/').pop() ?? e.path;
  const dot = name.lastIndexOf('.');
  return {
    name,
    bytes: 0,
    ext: dot > 0 ? name.slice(dot + 1).toLowerCase() : null,
    kind: 'unknown',
    format: null,
    container: null,
    unreadable: 'missing',
    detail: null,
    video: null,
    photo: null,
    label: null,
    checkError: null,
  };
}
