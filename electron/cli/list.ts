import path from 'node:path';
import { parse } from './args';
import type { Command } from './commands';
import { withCore } from './open-core';
import { listHubEvidence } from '../core/hub/hub-evidence';
import { stationRows } from '../core/hub/station-records';

interface ListedEvidence {
  id: string;
  path: string;
  location: string;
  station: string;
  kind: string;
  mode: string | null;
  sha256: string;
  bytes: number;
  durationMs: number | null;
  status: string;
  check: string;
  capturedAt: string;
}

export const listCommand: Command = {
  summary: 'List every order with its evidence files',
  usage: `Usage: proofpack list [--data-dir DIR] [--db URL] [--json]

Prints every order with its evidence files: path, kind, sha256, bytes, duration, status.
On a hub it lists every station's orders; each file also has its station and location.`,
  async run(argv) {
    const { values } = parse(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    return withCore(values['data-dir'], async (core) => {
      const db = core.ctx.db;
      const orders = await db.selectFrom('orders').select('id').orderBy('id').execute();
      const hubFiles = await listHubEvidence(db);
      // a hub mirrors each station file into its own tables: listed once, below, as the station sent it
      const mirrored = new Set(hubFiles.filter((h) => h.verified_at).map((h) => h.evidence_id));
      const out: { orderNo: string; trackingNo: string | null; createdAt: string; evidence: ListedEvidence[] }[] = [];
      for (const { id } of orders) {
        const detail = await core.handlers['orders.get']({ id });
        out.push({
          orderNo: detail.order.orderNo,
          trackingNo: detail.order.trackingNo,
          createdAt: detail.order.createdAt,
          evidence: detail.evidence
            .filter((e) => !mirrored.has(e.id))
            .map((e) => ({
              id: e.id,
              path: path.join(core.ctx.paths.root, e.path),
              location: path.join(core.ctx.paths.root, e.path),
              station: e.station,
              kind: e.kind,
              mode: e.mode,
              sha256: e.sha256,
              bytes: e.bytes,
              durationMs: e.durationMs,
              status: e.origin,
              check: e.checkState,
              capturedAt: e.capturedAt,
            })),
        });
      }
      // on a hub: the orders and files stations sent, by order number (two stations may share one)
      const byNo = new Map(out.map((o) => [o.orderNo, o]));
      for (const o of await stationRows<{ order_no: string; tracking_no: string | null; created_at: string }>(
        db,
        'orders',
      )) {
        const known = byNo.get(o.order_no);
        if (known) known.trackingNo ??= o.tracking_no;
        else {
          const order = { orderNo: o.order_no, trackingNo: o.tracking_no, createdAt: o.created_at, evidence: [] };
          byNo.set(o.order_no, order);
          out.push(order);
        }
      }
      const checks = await latestStationChecks(db);
      for (const h of hubFiles) {
        let order = byNo.get(h.order_no);
        if (!order) {
          order = { orderNo: h.order_no, trackingNo: h.tracking_no, createdAt: h.captured_at, evidence: [] };
          byNo.set(h.order_no, order);
          out.push(order);
        }
        order.evidence.push({
          id: h.evidence_id,
          path: h.location ?? '',
          location: h.location ?? '',
          station: h.station_name,
          kind: h.kind,
          mode: h.mode,
          sha256: h.sha256,
          bytes: Number(h.bytes),
          durationMs: h.duration_ms,
          status: h.verified_at ? 'verified' : 'uploading',
          // the station's own check of the file, once its result arrived
          check: checks.get(h.evidence_id) ?? 'pending',
          capturedAt: h.captured_at,
        });
      }
      if (values.json) {
        console.log(JSON.stringify(out, null, 2));
      } else if (out.length === 0) {
        console.log(`No orders in ${core.ctx.paths.root}`);
      } else {
        for (const o of out) {
          console.log(`${o.orderNo}${o.trackingNo && o.trackingNo !== o.orderNo ? ` (${o.trackingNo})` : ''}`);
          for (const e of o.evidence) {
            const dur = e.durationMs != null ? ` ${(e.durationMs / 1000).toFixed(1)}s` : '';
            console.log(
              `  ${e.kind.padEnd(8)} ${e.status.padEnd(9)} ${String(e.bytes).padStart(10)} B${dur}  ${e.sha256.slice(0, 12)}  ${e.path}`,
            );
          }
        }
      }
      return 0;
    });
  },
};

/** evidence id → the state of the station's latest check of it, from the records stations sent */
async function latestStationChecks(db: Parameters<typeof stationRows>[0]): Promise<Map<string, string>> {
  const latest = new Map<string, { state: string; at: string }>();
  for (const c of await stationRows<{ evidence_id: string; state: string; checked_at: string }>(
    db,
    'evidence_checks',
  )) {
    const seen = latest.get(c.evidence_id);
    if (!seen || seen.at < c.checked_at) latest.set(c.evidence_id, { state: c.state, at: c.checked_at });
  }
  return new Map([...latest].map(([id, c]) => [id, c.state]));
}
