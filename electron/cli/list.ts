import path from 'node:path';
import { parse } from './args';
import type { Command } from './commands';
import { withCore } from './open-core';

export const listCommand: Command = {
  summary: 'List every order with its evidence files',
  usage: `Usage: proofpack list [--data-dir DIR] [--json]

Prints every order with its evidence files: path, kind, sha256, bytes, duration, status.`,
  async run(argv) {
    const { values } = parse(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    return withCore(values['data-dir'], async (core) => {
      const db = core.ctx.db;
      const orders = await db.selectFrom('orders').select('id').orderBy('id').execute();
      const out = [];
      for (const { id } of orders) {
        const detail = await core.handlers['orders.get']({ id });
        out.push({
          orderNo: detail.order.orderNo,
          trackingNo: detail.order.trackingNo,
          createdAt: detail.order.createdAt,
          evidence: detail.evidence.map((e) => ({
            id: e.id,
            path: path.join(core.ctx.paths.root, e.path),
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
