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
  const tick = () => {
    try {
      const now = clock();
      const { alertHours } = getCaseSettings(ctx.db);
      const horizon = new Date(now.getTime() + alertHours * 3_600_000).toISOString();
      const rows = ctx.db
        .prepare(
          `SELECT c.id, c.due_at, o.order_no FROM cases c INDEXED BY cases_due JOIN orders o ON o.id = c.order_id
           WHERE c.due_at IS NOT NULL AND c.due_at <= ? ORDER BY c.due_at LIMIT 200`,
        )
        .all(horizon) as { id: number; due_at: string; order_no: string }[];
      const lang = ctx.settings.get().language;
      for (const r of rows) {
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
      }
    } catch (e) {
      console.error('[proofpack] deadline watch failed', e);
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
