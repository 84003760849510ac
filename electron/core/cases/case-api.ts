import type { Handlers } from '../../../shared/api/contract';
import type { CoreContext } from '../context';
import { importEvidence } from '../evidence/import-service';
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
  | 'packets.export'
  | 'packets.list'
  | 'packets.verify';

/**
 * The cases/packets part of the core, built on one context: services, contract
 * handlers, and the listeners that keep cases in step with their evidence.
 */
export function createCaseApi(ctx: CoreContext) {
  const cases = new CaseService(ctx);
  const packets = new PacketService(ctx, cases);

  // a new file, finished checks or a fix change what a checklist sees
  const pending = new Set<number>();
  const stopListening = ctx.events.onAny((event, payload) => {
    if (event !== 'evidence.changed') return;
    const orderId = (payload as { orderId: number }).orderId;
    if (pending.has(orderId)) return;
    pending.add(orderId);
    queueMicrotask(() => {
      pending.delete(orderId);
      try {
        cases.syncOrder(orderId);
      } catch (e) {
        console.error('[proofpack] case sync failed', e);
      }
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
      const { evidence } = await importEvidence(ctx, {
        orderId: i.orderId,
        originalName: i.name,
        source: { bytes: i.data },
        requirement: i.requirement,
      });
      if (i.caseId != null && i.requirement)
        cases.link({ caseId: i.caseId, requirement: i.requirement, evidenceId: evidence.id });
      return evidence;
    },
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
