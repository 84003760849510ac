import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../electron/core/checks/profile-store';
import type { Core } from '../../electron/core/core';
import { managedSettingsApplier } from '../../electron/core/hub/apply-managed-settings';
import { setManagedGroups } from '../../electron/core/hub/hub-managed-settings';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { builtinProfile } from '../../shared/rules/builtin';
import { cliAsync } from '../helpers/hub-process';
import { useHubCores } from '../helpers/hub-cores';
import { testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T08:00:00Z');
const clock = () => T0;
const { core, serve } = useHubCores(tmp);

const sync = (station: Core) =>
  syncNow(station.ctx.db, station.ctx.paths.root, {
    now: clock,
    applyManaged: managedSettingsApplier(station.ctx.db, station.ctx.settings, { now: clock }),
  });

describe(`central settings: the hub manages groups of station settings (${testEngine})`, { timeout: 120_000 }, () => {
  it('pushes scanner, retention and rules with the station’s name; managed keys are refused at the station; releasing frees them', async () => {
    const hub = await core();
    const server = await serve({ core: hub, clock });
    const station = await core();
    await station.ctx.settings.update({ stationName: 'PC-7' });
    const { code } = await createPairingCode(hub.ctx.db, '打包台 1', T0);
    await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });

    // the hub's own settings are the values it pushes
    const h = hub.ctx.settings.get();
    await hub.ctx.settings.update({
      scanner: { ...h.scanner, maxInterKeyMs: 35 },
      orderPatterns: ['^PDD\\d{10}$'],
      storage: { ...h.storage, retentionDays: { outbound: 30, return: 90 } },
    });
    const custom = {
      ...builtinProfile('pdd')!,
      id: 'warehouse-a',
      name: { 'zh-CN': '仓库 A 规则', en: 'Warehouse A rules' },
    };
    await new ProfileStore(hub.ctx.db).save(custom, 'admin');
    await hub.ctx.settings.update({ profileId: 'warehouse-a' });

    // nothing managed yet: only the name the hub gave this station arrives
    await sync(station);
    expect(station.ctx.settings.get()).toMatchObject({ stationName: '打包台 1', orderPatterns: ['^\\d{6}-\\d{15}$'] });
    expect(station.ctx.settings.managedByHub()?.groups).toEqual([]);

    const cli = await cliAsync(['hub', 'settings', '--data-dir', hub.ctx.paths.root, '--manage', 'scanner,bogus']);
    expect(cli.code).toBe(2);
    expect(cli.err).toContain('bogus');
    await setManagedGroups(hub.ctx.db, ['scanner', 'retention', 'rules'], 'admin');
    await sync(station);
    const s = station.ctx.settings.get();
    expect(s.scanner.maxInterKeyMs).toBe(35);
    expect(s.orderPatterns).toEqual(['^PDD\\d{10}$']);
    expect(s.storage.retentionDays).toEqual({ outbound: 30, return: 90 });
    expect(s.profileId).toBe('warehouse-a');
    expect((await new ProfileStore(station.ctx.db).get('warehouse-a')).name['zh-CN']).toBe('仓库 A 规则');
    expect(station.ctx.settings.managedByHub()?.groups).toEqual(['scanner', 'retention', 'rules']);

    // at the station: a managed key cannot be changed (saving it unchanged is fine); others can
    await expect(
      station.ctx.settings.update({ scanner: { ...s.scanner, maxInterKeyMs: 80 } }, 'packer'),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { problem: 'settings-managed-by-hub', keys: 'scanner' } });
    await station.ctx.settings.update({ scanner: s.scanner, language: 'en' }, 'packer');
    expect(station.ctx.settings.get().language).toBe('en');

    // edited on the hub: the next report brings it; an unchanged hub changes nothing
    await hub.ctx.settings.update({ scanner: { ...hub.ctx.settings.get().scanner, maxInterKeyMs: 40 } });
    await sync(station);
    expect(station.ctx.settings.get().scanner.maxInterKeyMs).toBe(40);
    const applied = () =>
      station.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'settings.from-hub').execute();
    const before = (await applied()).length;
    await sync(station);
    expect(await applied()).toHaveLength(before);

    // released: the station keeps the last values and may change them again
    const released = await cliAsync([
      'hub',
      'settings',
      '--data-dir',
      hub.ctx.paths.root,
      '--manage',
      'none',
      '--json',
    ]);
    expect(released.code, released.err).toBe(0);
    expect(JSON.parse(released.out)).toEqual({ groups: [] });
    await sync(station);
    expect(station.ctx.settings.managedByHub()?.groups).toEqual([]);
    await station.ctx.settings.update({ scanner: { ...station.ctx.settings.get().scanner, maxInterKeyMs: 80 } });
    expect(station.ctx.settings.get().scanner.maxInterKeyMs).toBe(80);
  });

  it('names stations on the hub: a rename reaches the station, which refuses its own; a taken name is refused', async () => {
    const hub = await core();
    const server = await serve({ core: hub, clock });
    const a = await core();
    const b = await core();
    for (const [station, name] of [
      [a, '打包台 1'],
      [b, '打包台 2'],
    ] as const) {
      const { code } = await createPairingCode(hub.ctx.db, name, T0);
      await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
      await sync(station);
    }
    expect(a.ctx.settings.get().stationName).toBe('打包台 1');
    await expect(a.ctx.settings.update({ stationName: 'mine' })).rejects.toMatchObject({
      details: { problem: 'settings-managed-by-hub', keys: 'stationName' },
    });

    const taken = await cliAsync([
      'hub',
      'rename',
      '--data-dir',
      hub.ctx.paths.root,
      '--station',
      '打包台 1',
      '--name',
      '打包台 2',
    ]);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('打包台 2');
    const renamed = await cliAsync([
      'hub',
      'rename',
      '--data-dir',
      hub.ctx.paths.root,
      '--station',
      '打包台 1',
      '--name',
      '退货台 A',
      '--json',
    ]);
    expect(renamed.code, renamed.err).toBe(0);
    expect(JSON.parse(renamed.out)).toEqual({ station: '打包台 1', name: '退货台 A', renamed: 1 });
    await sync(a);
    await sync(b);
    expect(a.ctx.settings.get().stationName).toBe('退货台 A');
    expect(b.ctx.settings.get().stationName).toBe('打包台 2');
    const audit = await hub.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'hub.station-renamed')
      .execute();
    expect(audit.map((r) => JSON.parse(r.details as string))).toEqual([{ from: '打包台 1', to: '退货台 A' }]);
  });
});
