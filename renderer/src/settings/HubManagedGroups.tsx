import { MANAGED_GROUPS, type ManagedGroup } from '../../../shared/hub/managed-settings';
import { useApi, useQuery } from '../api/context';
import { useSettings } from '../app/settings-context';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';

/**
 * On the hub: which groups of station settings it manages. The values are this PC's own
 * settings (edited in the usual screens here); ticking a group sends them to every paired
 * station with its next report, and stations show them as managed by the hub.
 */
export function HubManagedGroups() {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const { settings } = useSettings();
  const managed = useQuery('hub.managedGroups', {}, []);
  const profiles = useQuery('profiles.list', {}, [settings.profileId]);
  const groups = managed.data?.groups ?? [];
  const profile = profiles.data?.find((p) => p.id === settings.profileId)?.name[lang] ?? settings.profileId;
  const toggle = async (g: ManagedGroup, on: boolean) => {
    const next = on ? [...groups, g] : groups.filter((x) => x !== g);
    const r = await api.call('hub.setManagedGroups', { groups: next });
    if (!r.ok) return notify.error(r.error);
    managed.reload();
  };
  return (
    <div data-testid="hub-host-managed">
      <p>{t('settings.hubHost.managed')}</p>
      {MANAGED_GROUPS.map((g) => (
        <label key={g} className="check">
          <input
            type="checkbox"
            checked={groups.includes(g)}
            disabled={!managed.data}
            onChange={(e) => void toggle(g, e.target.checked)}
            data-testid={`hub-host-manage-${g}`}
          />
          {t(`settings.hubHost.group.${g}`, { profile })}
        </label>
      ))}
    </div>
  );
}
