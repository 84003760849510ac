import { formatLocalTime, formatSpan } from '../../../shared/domain/cases';
import type { CoreContext } from '../context';
import { getCaseSettings } from './case-settings';

/**
 * Raises an in-app alert (a `notice` event every open window shows) when a case's
 * deadline comes within the configured window (default 6 h) and again when it is
 * missed. Each case alerts once per level and deadline; the query reads only the
 * cases due soon, through the deadline index. `clock` is read once per check (tests give
 * a fixed one, so which deadline is near or missed does not depend on the day they run).
 */
export function startDeadlineWatch(
  ctx: CoreContext,
  everyMs = 60_000,
  clock: () => Date = () => new Date(),
): () => void {
  const alerted = new Set<string>();
  let running = false;
  const tick = async () => {
    if (running) return; // a slow database: the next tick waits for this one, never piles up
    running = true;
    try {
      const now = clock();
      const { alertHours } = await getCaseSettings(ctx.db);
      const horizon = new Date(now.getTime() + alertHours * 3_600_000).toISOString();
      // due_at and horizon are both toISOString() text: they compare as text on both engines
      const rows = await ctx.db
        .selectFrom('cases as c')
        .innerJoin('orders as o', 'o.id', 'c.order_id')
        .select(['c.id', 'c.due_at', 'o.order_no'])
        .where('c.due_at', 'is not', null)
        .where('c.due_at', '<=', horizon)
        .orderBy('c.due_at')
        .orderBy('c.id')
        .limit(200)
        .execute();
      const lang = ctx.settings.get().language;
      for (const r of rows) {
        if (!r.due_at) continue;
        const missed = Date.parse(r.due_at) <= now.getTime();
        const key = `${r.id}:${missed ? 'missed' : 'near'}:${r.due_at}`;
        if (alerted.has(key)) continue;
        alerted.add(key);
        ctx.events.emit('notice', {
          level: missed ? 'error' : 'warn',
          code: missed ? 'cases.alert.missed' : 'cases.alert.near',
          params: {
            caseId: r.id,
            order: r.order_no,
            due: formatLocalTime(r.due_at, { seconds: false }),
            left: formatSpan(Date.parse(r.due_at) - now.getTime(), lang),
          },
        });
        if (!missed) {
          await ctx.webhooks
            .publish('case.deadline-near', {
              caseId: r.id,
              orderNo: r.order_no,
              dueAt: r.due_at,
              hoursLeft: Math.round(((Date.parse(r.due_at) - now.getTime()) / 3_600_000) * 10) / 10,
            })
            .catch((e) => console.error('[proofpack] deadline-near event not queued', e));
        }
      }
    } catch (e) {
      console.error('[proofpack] deadline watch failed', e);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
