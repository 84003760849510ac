import type { Handlers } from '../../../shared/api/contract';
import type { Id } from '../../../shared/domain/id';
import type { CoreContext } from '../context';
import path from 'node:path';
import { importEvidence } from '../evidence/import-service';
import { UploadStore } from '../storage/uploads';
import { PacketService } from '../packets/packet-service';
import { CaseService } from './case-service';
import { startDeadlineWatch } from './deadline-watch';

type CaseCallName =
  | 'cases.list'
  | 'cases.get'
  | 'cases.forOrder'
  | 'cases.create'
  | 'cases.update'
  | 'cases.setStatus'
  | 'cases.link'
  | 'cases.unlink'
  | 'cases.settings.get'
  | 'cases.settings.update'
  | 'evidence.import'
  | 'files.upload'
  | 'packets.export'
  | 'packets.list'
  | 'packets.verify';

/** a buyer's own video can be large; bad input past this is refused before it fills the disk */
const MAX_EVIDENCE_UPLOAD_BYTES = 8 * 1024 ** 3;

/**
 * The cases/packets part of the core, built on one context: services, contract
 * handlers, and the listeners that keep cases in step with their evidence.
 */
export function createCaseApi(ctx: CoreContext) {
  const cases = new CaseService(ctx);
  // files dropped on a case arrive in pieces (any size, bounded memory) before the import
  const uploads = new UploadStore(path.join(ctx.paths.tmp, 'uploads'), MAX_EVIDENCE_UPLOAD_BYTES);
  void uploads.sweep().catch(() => undefined);
  const packets = new PacketService(ctx, cases);

  // a new file, finished checks or a fix change what a checklist sees
  const pending = new Set<Id>();
  const stopListening = ctx.events.onAny((event, payload) => {
    if (event !== 'evidence.changed') return;
    const orderId = (payload as { orderId: Id }).orderId;
    if (pending.has(orderId)) return;
    pending.add(orderId);
    queueMicrotask(() => {
      pending.delete(orderId);
      cases.syncOrder(orderId).catch((e) => console.error('[proofpack] case sync failed', e));
    });
  });

  const handlers: Pick<Handlers, CaseCallName> = {
    'cases.list': (i) => cases.list(i),
    'cases.get': (i) => cases.detail(i.id, i.lang),
    'cases.forOrder': (i) => cases.forOrder(i.orderId),
    'cases.create': (i) => cases.create(i),
    'cases.update': (i) => cases.update(i),
    'cases.setStatus': (i) => cases.setStatus(i),
    'cases.link': (i) => cases.link(i),
    'cases.unlink': (i) => cases.unlink(i),
    'cases.settings.get': () => cases.settings(),
    'cases.settings.update': (i) => cases.updateSettings(i),
    'evidence.import': async (i) => {
      const upload = i.uploadId ? uploads.get(i.uploadId) : null;
      const { evidence } = await importEvidence(ctx, {
        orderId: i.orderId,
        originalName: i.name,
        source: upload ? { path: upload.file } : { bytes: i.data! },
        requirement: i.requirement,
      }).finally(() => upload && uploads.drop(upload.id));
      if (i.caseId != null && i.requirement)
        await cases.link({ caseId: i.caseId, requirement: i.requirement, evidenceId: evidence.id });
      return evidence;
    },
    'files.upload': (i) => uploads.append(i),
    'packets.export': (i) => packets.startExport(i),
    'packets.list': (i) => packets.list(i.caseId),
    'packets.verify': (i) => packets.verify(i),
  };

  return {
    cases,
    packets,
    handlers,
    /** the app (not one-shot CLI commands) watches deadlines and alerts */
    startWatch: () => startDeadlineWatch(ctx),
    stop: stopListening,
  };
}
