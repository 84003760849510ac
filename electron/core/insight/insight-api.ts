import { currentShopScope } from '../accounts/shop-scope';
import { orderInShopsById } from '../db/order-shops';
import type { Handlers } from '../../../shared/api/contract';
import { toCsv } from '../../../shared/domain/insight/csv-export';
import type { CoverageGap, CoverageReport } from '../../../shared/domain/insight/types';
import { translate, type Lang } from '../../../shared/i18n';
import type { RecordingSession } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import { coverageReport } from './coverage/coverage-repo';
import { earlierRecording, lookupOrder } from './coverage/lookup';
import { dashboardReport } from './dashboard/dashboard-repo';
import { ImportService } from './import/import-service';
import { deleteMapping, listMappings } from './import/mappings-repo';
import { SerialService, serialProofForOrder } from './serials/serial-service';
import { openSerialCase } from './serials/serial-case';

type InsightCall =
  | 'orders.import.upload'
  | 'orders.import.inspect'
  | 'orders.import.preview'
  | 'orders.import.start'
  | 'orders.import.mappings'
  | 'orders.import.deleteMapping'
  | 'coverage.report'
  | 'coverage.exportCsv'
  | 'coverage.lookup'
  | 'serials.scan'
  | 'serials.forOrder'
  | 'serials.openCase'
  | 'orders.flags'
  | 'orders.flags.clear'
  | 'dashboard.report';

/**
 * The insight area's services and contract handlers, plus its two hooks into the
 * station: a warning when the scanned order was already recorded on an earlier day in
 * the last 30 days (after `capture.start`), and linking a label photo to the serial
 * scanned just before it (evidence listener).
 */
export function createInsightApi(ctx: CoreContext) {
  const imports = new ImportService(ctx);
  const serials = new SerialService(ctx);
  void imports.sweep().catch(() => undefined);
  ctx.onEvidenceAdded.push(async (e) => {
    await serials.linkPhoto(e);
  });
  const lang = (): Lang => ctx.settings.get().language;

  const handlers: Pick<Handlers, InsightCall> = {
    'orders.import.upload': (i) => imports.upload(i),
    'orders.import.inspect': (i) => imports.inspect(i),
    'orders.import.preview': (i) => imports.preview(i),
    'orders.import.start': (i) => imports.start(i),
    'orders.import.mappings': () => listMappings(ctx.db),
    'orders.import.deleteMapping': async (i) => ({ deleted: await deleteMapping(ctx.db, i.name) }),
    // a shop-limited clerk on the hub counts her shops' orders only (accounts/shop-scope.ts)
    'coverage.report': (i) =>
      coverageReport(
        ctx.db,
        { fromDay: i.fromDay, toDay: i.toDay, limit: i.limit, kinds: i.kinds },
        currentShopScope(),
      ),
    'coverage.exportCsv': async (i) => {
      const report = await coverageReport(
        ctx.db,
        { fromDay: i.fromDay, toDay: i.toDay, limit: null },
        currentShopScope(),
      );
      return { fileName: `coverage-${i.fromDay}_${i.toDay}.csv`, csv: coverageCsv(report, lang()) };
    },
    'coverage.lookup': async (i) => {
      const found = await lookupOrder(ctx.db, i.code);
      const shops = currentShopScope();
      return found && shops && !(await orderInShopsById(ctx.db, found.orderId, shops)) ? null : found;
    },
    'serials.scan': async (i) => {
      const r = await serials.scan(i);
      if (r.flagged) {
        ctx.events.emit('notice', {
          level: 'error',
          code: 'serial.notice.mismatch',
          params: { order: r.orderNo, returned: r.serial, packed: r.packedSerials.join(', ') },
        });
      } else if (r.alsoPackedIn.length) {
        ctx.events.emit('notice', {
          level: 'warn',
          code: 'serial.notice.alsoPacked',
          params: { serial: r.serial, orders: r.alsoPackedIn.join(', ') },
        });
      }
      return r;
    },
    'serials.forOrder': (i) => serialProofForOrder(ctx.db, i.orderId),
    'serials.openCase': (i) => openSerialCase(ctx, i),
    'orders.flags': (i) => serials.flags(i.orderId, i.openOnly),
    'orders.flags.clear': (i) => serials.clearFlag(i),
    'dashboard.report': (i) => dashboardReport(ctx.db, i.fromDay, i.toDay, new Date(), currentShopScope()),
  };

  /** After a recording started: the same order recorded on an earlier day (last 30 days) is worth a look. */
  async function afterCaptureStart(session: RecordingSession): Promise<RecordingSession> {
    try {
      const prev = await earlierRecording(ctx.db, session.orderId, session.mode, session.id);
      if (prev) {
        ctx.events.emit('notice', {
          level: 'warn',
          code: 'insight.notice.recordedBefore',
          params: {
            order: session.trackingNo ?? session.orderNo,
            at: localTime(prev.startedAt),
            station: prev.station || '—',
          },
        });
      }
    } catch (e) {
      // a warning must never stop a recording
      console.error('[proofpack] duplicate-scan check failed', e);
    }
    return session;
  }

  return { handlers, imports, serials, afterCaptureStart };
}

const localTime = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

export function coverageCsv(report: CoverageReport, lang: Lang): string {
  const t = (k: string) => translate(lang, k);
  const header = ['day', 'kind', 'orderNo', 'trackingNo', 'time', 'station', 'operator', 'item'].map((k) =>
    t(`coverage.csv.${k}`),
  );
  const rows = report.gaps.map((g: CoverageGap) => [
    g.day,
    t(`coverage.kind.${g.kind}`),
    g.orderNo,
    g.trackingNo,
    localTime(g.at),
    g.station,
    g.operator,
    g.item,
  ]);
  return toCsv(header, rows);
}
