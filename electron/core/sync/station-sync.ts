import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import {
  evidenceState,
  HUB_UPLOADS_PATH,
  stationReportAnswer,
  type EvidenceRecord,
  type SyncSummary,
} from '../../../shared/hub/protocol';
import type { Db } from '../db/db';
import { managedSettingsAnswer, type ManagedSettingsAnswer } from '../../../shared/hub/managed-settings';
import { freeBytes } from '../storage/files';
import { APP_VERSION } from '../version';
import { outboxStatus, queueNewEvidence, type OutboxStatus } from './outbox';
import { recordsAnswer } from '../../../shared/hub/records';
import { sendRecords } from './record-outbox';
import { hubTransport } from './hub-transport';
import { hubCall, StationRefused, type HubCaller } from './hub-call';
import { sendAudit } from './audit-outbox';
import { tusUpload, TusUploadError } from './tus-upload';

/** An idle station tells the hub it is alive this often (the hub shows it offline after 3 min). */
const REPORT_EVERY_MS = 60_000;

async function recordOf(db: Db, evidenceId: string): Promise<{ record: EvidenceRecord; file: string } | null> {
  const row = await db
    .selectFrom('evidence')
    .innerJoin('orders', 'orders.id', 'evidence.order_id')
    .select([
      'evidence.id',
      'evidence.kind',
      'evidence.mode',
      'evidence.path',
      'evidence.sha256',
      'evidence.bytes',
      'evidence.duration_ms',
      'evidence.captured_at',
      'evidence.operator',
      'evidence.station',
      'evidence.origin',
      'evidence.mime',
      'evidence.width',
      'evidence.height',
      'evidence.parent_id',
      'orders.order_no',
      'orders.tracking_no',
    ])
    .where('evidence.id', '=', evidenceId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    file: row.path,
    record: {
      id: row.id,
      orderNo: row.order_no,
      trackingNo: row.tracking_no,
      kind: row.kind,
      mode: row.mode,
      fileName: path.basename(row.path),
      sha256: row.sha256,
      bytes: Number(row.bytes),
      durationMs: row.duration_ms === null ? null : Math.round(row.duration_ms),
      capturedAt: row.captured_at,
      operator: row.operator,
      stationName: row.station,
      origin: row.origin,
      mime: row.mime,
      width: row.width,
      height: row.height,
      parentId: row.parent_id,
    },
  };
}

export interface SyncOptions {
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (sent: number, total: number) => void;
  /**
   * The background loop's passes: with nothing to send, tell the hub how this station is
   * only once a minute (and while the last report failed). Staff pressing "sync now" and
   * `proofpack sync` always report.
   */
  quietWhenIdle?: boolean;
  /**
   * Applies what the hub manages (central settings), asked for with every status report.
   * The station's core passes it; without it (a bare database in a test) nothing is asked.
   */
  applyManaged?: (answer: ManagedSettingsAnswer) => Promise<unknown>;
}

/** the pass running for each database (one process may hold several stations: tests, a hub PC that also records) */
const running = new WeakMap<Db, Promise<SyncSummary>>();

/**
 * One pass over the outbox: queue new evidence, then for each file not yet verified, in
 * order: send its record, send its bytes if the hub asks for them (resuming an earlier
 * upload), and ask the hub whether it verified them. Only the hub's "verified" marks a file
 * verified here. A pass already running is joined, not doubled.
 */
export function syncNow(db: Db, dataRoot: string, opts: SyncOptions = {}): Promise<SyncSummary> {
  let pass = running.get(db);
  if (!pass) {
    pass = syncPass(db, dataRoot, opts).finally(() => running.delete(db));
    running.set(db, pass);
  }
  return pass;
}

async function syncPass(db: Db, dataRoot: string, opts: SyncOptions): Promise<SyncSummary> {
  const link = await db.selectFrom('hub_link').selectAll().executeTakeFirst();
  if (!link)
    throw new AppError('CONFLICT', 'This station is not paired with a hub: run proofpack join first', {
      problem: 'hub-not-joined',
    });
  const transport = hubTransport(link.tls_cert ?? null);
  try {
    return await passWith(db, dataRoot, opts, link, {
      base: new URL(link.hub_url),
      credential: link.credential,
      transport,
    });
  } finally {
    await transport.close();
  }
}

async function passWith(
  db: Db,
  dataRoot: string,
  opts: SyncOptions,
  link: { last_contact_at: string | null; last_error: string | null; audit_sent_seq: number | null },
  hub: HubCaller,
): Promise<SyncSummary> {
  const now = opts.now ?? (() => new Date());
  await queueNewEvidence(db, now());
  const pending = await db
    .selectFrom('sync_outbox')
    .selectAll()
    .where('state', '!=', 'verified')
    .orderBy('seq')
    .execute();
  const out = { uploaded: 0, verified: 0, failed: 0, lastError: null as string | null };
  const mark = (evidenceId: string, set: Record<string, unknown>) =>
    db
      .updateTable('sync_outbox')
      .set({ ...set, updated_at: now().toISOString() })
      .where('evidence_id', '=', evidenceId)
      .execute();
  let refused = false;
  for (const item of pending) {
    if (opts.signal?.aborted) break;
    const found = await recordOf(db, item.evidence_id);
    if (!found) {
      // the evidence itself is gone (merged away or deleted before it was ever sent)
      await db.deleteFrom('sync_outbox').where('evidence_id', '=', item.evidence_id).execute();
      continue;
    }
    try {
      let state = await hubCall(hub, evidenceState, 'PUT', `/evidence/${item.evidence_id}`, found.record);
      if (state.state === 'needs-upload') {
        let uploadUrl = item.upload_url;
        const file = path.join(dataRoot, found.file);
        await fsp.access(file).catch(() => {
          throw new Error(`the file is missing at the station: ${file}`);
        });
        await tusUpload({
          file,
          endpoint: new URL(HUB_UPLOADS_PATH.slice(1), hub.base).href,
          uploadUrl: item.upload_url,
          headers: { authorization: `Bearer ${hub.credential}` },
          agent: hub.transport.agent,
          metadata: { evidenceId: item.evidence_id, filename: found.record.fileName },
          onUploadUrl: async (url) => {
            uploadUrl = url;
            await mark(item.evidence_id, { upload_url: url });
          },
          onProgress: opts.onProgress,
          signal: opts.signal,
        });
        out.uploaded++;
        await mark(item.evidence_id, { state: 'uploaded' });
        // naming the upload lets the hub check it now if its check never ran (the hub stopped
        // between the last byte and the hash): the client sees it complete and sends no more
        const upload = uploadUrl ? `?upload=${uploadUrl.slice(uploadUrl.lastIndexOf('/') + 1)}` : '';
        state = await hubCall(hub, evidenceState, 'GET', `/evidence/${item.evidence_id}${upload}`);
      }
      if (state.state !== 'verified') throw new Error('the hub has not verified the file yet');
      out.verified++;
      await mark(item.evidence_id, { state: 'verified', verified_at: now().toISOString(), last_error: null });
    } catch (e) {
      if (e instanceof TusUploadError && e.status === -1) break; // cancelled: the upload resumes next time
      const message = e instanceof Error ? e.message : String(e);
      out.failed++;
      out.lastError = message;
      // a hash mismatch starts a fresh upload; any other failure resumes the same one
      const fresh = (e as { status?: number }).status === 460;
      await mark(item.evidence_id, {
        state: 'failed',
        attempts: item.attempts + 1,
        last_error: message,
        ...(fresh ? { upload_url: null } : {}),
      });
      if (e instanceof StationRefused || (e instanceof TusUploadError && [0, 401, 403, 503].includes(e.status))) {
        refused = true;
        break;
      }
    }
  }
  const status = await outboxStatus(db);
  const summary = { queued: status.queued, ...out, lastError: out.lastError ?? status.lastError };
  // the hub that just refused or could not be reached would not take a report either; an
  // idle station reports once a minute, not on every 5 s look at an empty outbox
  if (refused || opts.signal?.aborted) return summary;
  // files that reached the hub stay verified; the pass still says what went wrong (and the
  // link keeps it: with nothing queued, the outbox holds no error to show)
  const failedCall = async (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    summary.lastError ??= message;
    await db
      .updateTable('hub_link')
      .set({ last_error: message.slice(0, 1000) })
      .execute();
    return summary;
  };
  try {
    // the station's other records (orders, chapters, checks …), then its audit chain
    await sendRecords(db, (batch) => hubCall(hub, recordsAnswer, 'PUT', '/records', batch), opts.signal);
    await sendAudit(db, hub, link.audit_sent_seq ?? 0);
  } catch (e) {
    return failedCall(e);
  }
  const lastContact = link.last_contact_at ? Date.parse(link.last_contact_at) : NaN;
  const fresh = Math.abs(now().getTime() - lastContact) < REPORT_EVERY_MS; // NaN: never
  if (opts.quietWhenIdle && !pending.length && fresh && !link.last_error) return summary;
  try {
    if (opts.applyManaged) await opts.applyManaged(await hubCall(hub, managedSettingsAnswer, 'GET', '/settings'));
    await reportStatus(db, hub, dataRoot, status, out.failed, now);
  } catch (e) {
    return failedCall(e);
  }
  return summary;
}

/**
 * Tells the hub how this station is (the hub lists it) and keeps what the hub answered:
 * when it was last reached, and how far this PC's clock is from the hub's.
 */
async function reportStatus(
  db: Db,
  hub: HubCaller,
  dataRoot: string,
  status: OutboxStatus,
  failed: number,
  now: () => Date,
): Promise<void> {
  const answer = await hubCall(hub, stationReportAnswer, 'PUT', '/status', {
    sentAt: now().toISOString(),
    queued: status.queued,
    queuedBytes: status.queuedBytes,
    failed,
    lastError: status.lastError?.slice(0, 1000) ?? null,
    freeBytes: freeBytes(dataRoot),
    appVersion: APP_VERSION.slice(0, 40),
  });
  await db
    .updateTable('hub_link')
    .set({ last_contact_at: now().toISOString(), clock_skew_ms: answer.clockSkewMs, last_error: null })
    .execute();
}
