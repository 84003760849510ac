import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SyncStatus } from '../../../shared/api/calls/hub';
import { clockIsOff, skewParams } from '../../../shared/hub/clock-skew';
import { describeSyncError } from '../../../shared/hub/sync-error-text';
import { useApi } from '../api/context';
import { useT } from '../i18n';

/** How often the header asks the core how the outbox stands (a cheap count). */
const POLL_MS = 5000;

export const megabytes = (bytes: number) => (bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0);

const SyncStatusCtx = createContext<SyncStatus | null>(null);

/**
 * Polls the station's sync status once for the whole app: the header, Settings and the
 * screens showing "managed by the hub" all read this one answer instead of each asking.
 */
export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let live = true;
    const poll = () => void api.call('hub.syncStatus', {}).then((r) => live && r.ok && setStatus(r.value));
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return <SyncStatusCtx.Provider value={status}>{children}</SyncStatusCtx.Provider>;
}

/** The station's sync status (SyncStatusProvider); null until known. */
export function useSyncStatus(): SyncStatus | null {
  return useContext(SyncStatusCtx);
}

/**
 * The header's sync state for a station paired with a hub: all sent, files and MB
 * waiting, or the error in words (recording goes on either way), and a warning when this
 * PC's clock is off from the hub's (evidence times come from it). Nothing when unpaired.
 */
export function SyncIndicator() {
  const { t } = useT();
  const s = useSyncStatus();
  if (!s?.linked) return null;
  const text = s.queued ? t('sync.waiting', { queued: s.queued, mb: megabytes(s.queuedBytes) }) : t('sync.done');
  const clockOff = clockIsOff(s.clockSkewMs);
  return (
    <span
      className={`sync-indicator${s.lastError || clockOff ? ' sync-error' : ''}`}
      data-testid="sync-indicator"
      data-clock-off={clockOff || undefined}
      title={s.lastError ? t('settings.hub.syncError', { error: describeSyncError(t, s.lastError) }) : undefined}
    >
      {text}
      {clockOff && <> {t('sync.clockOff', skewParams(t, s.clockSkewMs as number))}</>}
    </span>
  );
}
