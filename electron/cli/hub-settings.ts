import { MANAGED_GROUPS, type ManagedGroup } from '../../shared/hub/managed-settings';
import { managedGroupsOf, setManagedGroups } from '../core/hub/hub-managed-settings';
import { renameHubStation } from '../core/hub/hub-stations';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT, required } from './cli-support';
import { reportingErrors } from './hub';
import { withCore } from './open-core';

export const hubSettingsCommand: Command = {
  summary: 'Choose which station settings the hub manages (central settings)',
  usage: `Usage: proofpack hub settings [--data-dir DIR] [--db URL] [--manage GROUP,…|none] [--json]

Groups: ${MANAGED_GROUPS.join(', ')} (scanner: scanner timing, hotkeys, pedal and code
patterns; retention: disk reserve and retention; rules: the rule profile). A managed group
takes this hub's own settings at every paired station within a minute, and stations show it
as managed by the hub. Station names are always the hub's. Without --manage, prints the
groups managed now.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      manage: { type: 'string' },
      json: { type: 'boolean' },
    });
    const wanted = values.manage?.trim();
    const groups =
      wanted === undefined
        ? undefined
        : wanted === 'none' || wanted === ''
          ? []
          : wanted.split(',').map((g) => g.trim());
    const unknown = groups?.filter((g) => !(MANAGED_GROUPS as readonly string[]).includes(g)) ?? [];
    if (unknown.length)
      throw new UsageError(
        cliT(cliLang())('cli.hub.badGroups', { groups: unknown.join(', '), known: MANAGED_GROUPS.join(', ') }),
      );
    return withCore(values['data-dir'], async (core) => {
      const t = cliT(cliLang(core.ctx.settings.get().language));
      const now = groups
        ? await setManagedGroups(core.ctx.db, groups as ManagedGroup[], 'cli')
        : await managedGroupsOf(core.ctx.db);
      if (values.json) console.log(JSON.stringify({ groups: now }));
      else console.log(now.length ? t('cli.hub.managed', { groups: now.join(', ') }) : t('cli.hub.managedNone'));
      return 0;
    });
  },
};

export const hubRenameCommand: Command = {
  summary: 'Rename a paired station (station names are set on the hub)',
  usage: `Usage: proofpack hub rename [--data-dir DIR] [--db URL] --station NAME --name NEW_NAME [--json]

The station takes the new name at its next report (within a minute). Files it already
sent keep the name they were recorded under.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      station: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    });
    const station = required(values, 'station', cliLang());
    const newName = required(values, 'name', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      return reportingErrors(lang, async () => {
        const renamed = await renameHubStation(core.ctx.db, station, newName);
        if (values.json) console.log(JSON.stringify({ station: station.trim(), name: newName.trim(), renamed }));
        else
          console.log(
            cliT(lang)(renamed ? 'cli.hub.renamed' : 'cli.hub.noSuchStation', { station, newName: newName.trim() }),
          );
        return renamed ? 0 : 1;
      });
    });
  },
};
