import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { runImport } from '../../electron/core/insight/import/run-import';
import { dropDatabasesOf } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

async function withCore<T>(fn: (core: Core, dir: string) => Promise<T>): Promise<T> {
  const dir = tmp();
  const core = await createCore({ dataDir: dir, mode: 'cli' });
  try {
    return await fn(core, dir);
  } finally {
    await core.close();
    await dropDatabasesOf([dir]);
  }
}

const importCsv = async (core: Core, dir: string, name: string, csv: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, csv);
  return runImport(core.ctx, { file, fileName: name, sourceName: 'erp', mapping: null, options: {}, actor: 'clerk' });
};
// a recording with no video: stopping it may refuse (nothing recorded); the order is what matters here
const stop = (core: Core, id: string) =>
  Promise.resolve()
    .then(() => core.handlers['capture.stop']({ recordingId: id }))
    .catch(() => undefined);
const shopOf = async (core: Core, orderNo: string) =>
  (await core.ctx.db.selectFrom('orders').select('shop').where('order_no', '=', orderNo).executeTakeFirstOrThrow())
    .shop;

describe('orders carry a shop: the station’s current shop when a scan makes the order, the import’s 店铺 column over it', () => {
  it('a scan stamps the station’s shop; none set: unknown', async () => {
    await withCore(async (core) => {
      const s1 = await core.handlers['capture.start']({ code: 'PDD-0001', mode: 'outbound', mime: 'video/webm' });
      await stop(core, s1.id);
      expect(await shopOf(core, 'PDD-0001')).toBeNull();
      await core.handlers['settings.update']({ shop: '  A店 ' });
      const s2 = await core.handlers['capture.start']({ code: 'PDD-0002', mode: 'outbound', mime: 'video/webm' });
      await stop(core, s2.id);
      expect(await shopOf(core, 'PDD-0002')).toBe('A店');
      expect((await core.handlers['orders.get']({ id: s2.orderId })).order.shop).toBe('A店');
    });
  });

  it('the import’s 店铺 column is recognised and sets the shop; the same file again changes nothing; a new shop updates', async () => {
    await withCore(async (core, dir) => {
      await core.handlers['settings.update']({ shop: 'A店' });
      const s = await core.handlers['capture.start']({ code: 'PDD-0003', mode: 'outbound', mime: 'video/webm' });
      await stop(core, s.id);
      const csv = (shop: string) =>
        `订单号,快递单号,店铺名称\nPDD-0003,SF100,${shop}\nPDD-0004,SF101,${shop}\nPDD-0005,SF102,\n`;
      const first = await importCsv(core, dir, 'a.csv', csv('B店'));
      expect([first.imported, first.rejected]).toEqual([3, 0]); // the scanned order had no facts yet
      expect(await shopOf(core, 'PDD-0003')).toBe('B店'); // the import wins over the station's shop
      expect(await shopOf(core, 'PDD-0004')).toBe('B店');
      expect(await shopOf(core, 'PDD-0005')).toBeNull(); // an empty cell leaves it unknown
      const again = await importCsv(core, dir, 'b.csv', csv('B店'));
      expect(again.unchanged).toBe(3);
      const moved = await importCsv(core, dir, 'c.csv', csv('C店'));
      expect(moved.updated).toBe(2);
      expect(await shopOf(core, 'PDD-0004')).toBe('C店');
    });
  });
});
