import type { ManagedGroup } from '../../../shared/hub/managed-settings';
import { useSyncStatus } from '../components/SyncIndicator';
import { useT } from '../i18n';

/**
 * What the warehouse hub manages at this station: `groups` (central settings) and whether
 * the hub names the station (`named`: it has answered this station at least once).
 */
export function useManagedByHub(): { groups: ReadonlySet<ManagedGroup>; named: boolean } {
  const s = useSyncStatus();
  return { groups: new Set(s?.managedGroups ?? []), named: s?.managedGroups != null };
}

/** "🔒 Managed by the warehouse hub: …" for those of `show` the hub manages; nothing otherwise. */
export function ManagedNotice({ groups, show }: { groups: ReadonlySet<ManagedGroup>; show: ManagedGroup[] }) {
  const { t } = useT();
  const managed = show.filter((g) => groups.has(g));
  if (!managed.length) return null;
  return (
    <p className="hint managed-by-hub" data-testid="managed-by-hub" data-groups={managed.join(',')}>
      {t('settings.managedByHub', { groups: managed.map((g) => t(`settings.managedGroup.${g}`)).join('、') })}
    </p>
  );
}
