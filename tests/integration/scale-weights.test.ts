import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import type { ApiEvents } from '../../shared/api/events';
import type { CaseDetail } from '../../shared/domain/cases/types';
import type { OrderFlag } from '../../shared/domain/insight/types';
import type { OrderWeight } from '../../shared/domain/scale/weights';
import type { RecordingSession } from '../../shared/domain/types';
import { call } from '../helpers/core-call';
import { socatMissing, startPtyPair, until, type PtyPair } from '../helpers/pty-pair';
import { columnOf } from '../helpers/raw-sql';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const open: { core: Core; pair: PtyPair }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.core.close();
    await o.pair.unplug();
  }
});

async function station() {
  const pair = await startPtyPair(tmp('pp-scale-'));
  const core = await createCore({ dataDir: tmp(), mode: 'cli', scale: { connectScale: true, retryMs: 200 } });
  open.push({ core, pair });
  await call(core, 'settings.update', {
    scale: { port: pair.app, format: 'auto', toleranceGrams: 20, tolerancePercent: 2 },
  });
  await until(() => core.scale.current().connection === 'connected');
  return { core, pair };
}

/** A real recording through the contract while the scale sends `frame` until its weight shows. */
async function recordWeighing(
  { core, pair }: { core: Core; pair: PtyPair },
  code: string,
  mode: 'outbound' | 'return',
  frame: string,
  shows: { grams: number; stable: boolean },
) {
  const { chunks } = recorderLikeStream(tmp('pp-media-'), 2, { width: 320, height: 240 });
  const session = await call<RecordingSession>(core, 'capture.start', { code, mode, mime: 'video/mp4;codecs=avc1' });
  let seq = 0;
  for (const data of chunks) await core.handlers['capture.chunk']({ recordingId: session.id, seq: seq++, data });
  await until(
    () => core.scale.current().grams === shows.grams && core.scale.current().stable === shows.stable,
    () => pair.send(frame),
  );
  await call(core, 'capture.stop', { recordingId: session.id });
  // the parcel is lifted off: the platform reads zero before the next one (and no frame of
  // this parcel is still on its way when the next recording starts)
  await until(
    () => core.scale.current().grams === 0,
    () => pair.send('ST,GS,+0000.000kg\r\n'),
  );
  return session;
}

describe.skipIf(socatMissing)(`weights stored with the order, packed vs return (${testEngine})`, () => {
  it('stores the stable packed weight, flags a return weight outside the tolerance and accepts one inside', async () => {
    const s = await station();
    const notices: ApiEvents['notice'][] = [];
    s.core.ctx.events.onAny((e, p) => e === 'notice' && notices.push(p as ApiEvents['notice']));

    // order A packed at 1.234 kg, returned at 0.620 kg: something is missing from the parcel
    const packA = await recordWeighing(s, 'W-A1', 'outbound', 'ST,GS,+0001.234kg\r\n', { grams: 1234, stable: true });
    await recordWeighing(s, 'W-A1', 'return', 'ST,GS,+0000.620kg\r\n', { grams: 620, stable: true });
    const a = await call<OrderWeight[]>(s.core, 'scale.orderWeights', { orderId: packA.orderId });
    expect(a.map((w) => [w.mode, w.grams, w.packedGrams, w.result])).toEqual([
      ['outbound', 1234, null, null],
      ['return', 620, 1234, 'mismatch'],
    ]);
    expect(notices).toContainEqual({
      level: 'error',
      code: 'scale.weightMismatch',
      params: { packed: '1.234 kg', returned: '620 g' },
    });

    // the order is flagged like a swapped serial (open until staff clear it); order B below is not
    const flags = await call<OrderFlag[]>(s.core, 'orders.flags', {});
    expect(flags.map((f) => [f.flag, f.orderNo, f.details.returnedGrams, f.details.packedGrams])).toEqual([
      ['weight-mismatch', 'W-A1', 620, 1234],
    ]);

    // the case on order A states both weights and the difference in its draft
    const opened = await call<CaseDetail>(s.core, 'cases.create', {
      orderId: packA.orderId,
      appealType: 'goods',
      scenario: 'empty-parcel',
    });
    expect(opened.statement).toContain('发货时称重 1.234 kg');
    expect(opened.statement).toContain('退货拆包时称重 620 g');
    expect(opened.statement).toContain('相差 614 g，超出允许误差');

    // order B packed at 2.000 kg, returned at 2.030 kg: within 2 % (40 g), no flag
    const packB = await recordWeighing(s, 'W-B1', 'outbound', 'ST,GS,+0002.000kg\r\n', { grams: 2000, stable: true });
    await recordWeighing(s, 'W-B1', 'return', 'ST,GS,+0002.030kg\r\n', { grams: 2030, stable: true });
    const b = await call<OrderWeight[]>(s.core, 'scale.orderWeights', { orderId: packB.orderId });
    expect(b.map((w) => w.result)).toEqual([null, 'match']);
    expect((await call<OrderFlag[]>(s.core, 'orders.flags', {})).map((f) => f.orderNo)).toEqual(['W-A1']);

    // a recording during which the scale never settled stores no weight
    const packC = await recordWeighing(s, 'W-C1', 'outbound', 'US,GS,+0000.900kg\r\n', { grams: 900, stable: false });
    expect(await call<OrderWeight[]>(s.core, 'scale.orderWeights', { orderId: packC.orderId })).toEqual([]);

    // every weight is in the audit trail, the mismatch under its own action
    const actions = await columnOf<string>(
      s.core.ctx.db,
      "SELECT action FROM audit_log WHERE action LIKE 'order.weigh%' ORDER BY seq",
    );
    expect(actions).toEqual(['order.weighed', 'order.weightMismatch', 'order.weighed', 'order.weighed']);
  });

  it('refuses a bad order id for the weights call with a clear error', async () => {
    const s = await station();
    const r = await s.core.dispatch('scale.orderWeights', { orderId: 'not an id' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT');
  });
});
