import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import type { ScaleState } from '../../shared/domain/scale/weights';
import { call } from '../helpers/core-call';
import { socatMissing, startPtyPair, until, type PtyPair } from '../helpers/pty-pair';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const open: { core?: Core; pair?: PtyPair }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.core?.close();
    await o.pair?.unplug();
  }
});

// CI installs socat (.ci/run); a developer machine without it skips with this reason
describe.skipIf(socatMissing)(
  'scale on a serial port through a socat pty pair (skipped only when socat is missing; CI installs it)',
  () => {
    it('reports weights from Toledo-style frames, ignores and counts bad ones, and reconnects after unplug', async () => {
      const dir = tmp('pp-scale-');
      let pair = await startPtyPair(dir);
      const core = await createCore({ dataDir: tmp(), mode: 'cli', scale: { connectScale: true, retryMs: 200 } });
      open.push({ core }, { pair });
      const states: ScaleState[] = [];
      core.ctx.events.onAny((e, p) => e === 'scale.state' && states.push(p as ScaleState));
      await core.dispatch('settings.update', { scale: { port: pair.app, baudRate: 9600, format: 'toledo' } });

      await until(() => core.scale.current().connection === 'connected');
      await until(
        () => core.scale.current().grams === 250 && !core.scale.current().stable,
        () => pair.send('US,GS,+0000.250kg\r\n'),
      );
      await until(
        () => core.scale.current().grams === 1234 && core.scale.current().stable,
        () => pair.send('~~garbage~~\r\nST,GS,+0001.234kg\r\n'),
      );
      expect(core.scale.current().badFrames).toBeGreaterThan(0);
      // the contract call gives the same state to a station opening its screen
      expect((await call<ScaleState>(core, 'scale.state', {})).grams).toBe(1234);

      // the pty goes away as a USB adapter pulled out: lost, no weight shown, no crash
      await pair.unplug();
      await until(() => core.scale.current().connection === 'lost');
      expect(core.scale.current().grams).toBeNull();
      expect(core.scale.current().error).toBeTruthy();

      // back again at the same path: the reader opens it by itself and weights flow again
      pair = await startPtyPair(dir);
      open.push({ pair });
      await until(
        () => core.scale.current().connection === 'connected' && core.scale.current().grams === 2000,
        () => pair.send('ST,GS,+0002.000kg\r\n'),
      );
      const seen = states.map((s) => s.connection);
      expect(seen).toEqual(expect.arrayContaining(['connecting', 'connected', 'lost']));
      expect(seen.lastIndexOf('connected')).toBeGreaterThan(seen.indexOf('lost'));
    });

    it('reads Yaohua "=" frames (reversed digits) from the port, stable after repeats', async () => {
      const pair = await startPtyPair(tmp('pp-scale-'));
      const core = await createCore({ dataDir: tmp(), mode: 'cli', scale: { connectScale: true, retryMs: 200 } });
      open.push({ core }, { pair });
      await core.dispatch('settings.update', { scale: { port: pair.app, baudRate: 2400, format: 'auto' } });
      await until(
        () => core.scale.current().grams === 1234 && core.scale.current().stable,
        () => pair.send('=432.100'),
      );
    });

    it('reports a port that does not exist as lost and keeps trying, without throwing', async () => {
      const core = await createCore({ dataDir: tmp(), mode: 'cli', scale: { connectScale: true, retryMs: 100 } });
      open.push({ core });
      const r = await core.dispatch('settings.update', { scale: { port: '/dev/no-such-scale' } });
      expect(r.ok).toBe(true);
      await until(() => core.scale.current().connection === 'lost');
      expect(core.scale.current().error).toMatch(/no-such-scale|ENOENT|No such file/i);
    });
  },
);
