import type { Handlers } from '../../../shared/api/contract';
import type { CoreContext } from '../context';
import { FixService } from '../fixes/fix-service';
import { registerComplianceHooks } from '../packets/compliance';
import { CheckService } from './check-service';
import { ProfileStore } from './profile-store';

type CheckCall =
  | 'checks.forEvidence'
  | 'checks.forOrder'
  | 'checks.run'
  | 'checks.reevaluate'
  | 'fixes.start'
  | 'profiles.list'
  | 'profiles.get'
  | 'profiles.save'
  | 'profiles.delete';

/**
 * Wires the checks into a core: the contract handlers, the onEvidenceAdded listener
 * (every saved or imported file is checked in the background), and the hooks the
 * packet export uses to check and fix before it bundles.
 */
export function createCheckApi(ctx: CoreContext) {
  const profiles = new ProfileStore(ctx.db);
  const service = new CheckService(ctx, profiles);
  const fixes = new FixService(ctx, service);
  ctx.onEvidenceAdded.push(service.onEvidenceAdded);
  registerComplianceHooks(ctx, {
    check: async (evidenceId) => (await service.enqueue(evidenceId)).state,
    fix: (evidenceId, opts) => fixes.fixNow(evidenceId, opts),
  });
  const actor = () => ctx.settings.get().operator;

  const handlers: Pick<Handlers, CheckCall> = {
    'checks.forEvidence': (i) => service.forEvidence(i.evidenceId),
    'checks.forOrder': (i) => service.forOrder(i.orderId),
    'checks.run': (i) => service.enqueue(i.evidenceId, i.profileId),
    'checks.reevaluate': async () => ({ count: await service.reevaluate() }),
    'fixes.start': (i) => fixes.start(i),
    'profiles.list': async () => {
      const active = (await service.activeProfile()).id;
      return (await profiles.list()).map((p) => ({ ...p, isDefault: p.id === active }));
    },
    'profiles.get': (i) => profiles.get(i.id),
    'profiles.save': async (i) => {
      const saved = await profiles.save(i.profile, actor());
      // the station's profile changed: every stored result is re-judged (no file is read)
      if (saved.id === (await service.activeProfile()).id) await service.reevaluate();
      return saved;
    },
    'profiles.delete': async (i) => {
      await profiles.remove(i.id, actor());
      await service.reevaluate();
      return { id: i.id };
    },
  };

  return {
    handlers,
    service,
    fixes,
    profiles,
    /** app start: check files that never were, re-judge results of an older profile */
    async resume(): Promise<void> {
      await service.reevaluate();
      await service.resumePending();
    },
    /** the CLI waits for the checks of files it added; the app stops them (they resume at next start) */
    async close() {
      if (ctx.mode === 'cli') await service.idle();
      await service.close();
    },
  };
}
