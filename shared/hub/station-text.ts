import { clockIsOff, skewParams } from './clock-skew';
import type { HubStationInfo } from './protocol';
import { describeSyncError } from './sync-error-text';

type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * A paired station in words, as staff read it on the hub: `proofpack hub stations` and
 * Settings → "This PC is the warehouse hub" both show these parts. Times and sizes are
 * formatted by the caller (ISO in a terminal, local time on screen).
 */
export function describeStation(
  t: Translate,
  s: HubStationInfo,
  format: { time: (iso: string) => string; mb: (bytes: number) => string },
): { seen: string; report: string; clockOff: string | null; error: string | null } {
  const r = s.status;
  return {
    seen: s.revokedAt
      ? t('cli.hub.revoked')
      : s.online
        ? t('cli.hub.online')
        : s.lastSeenAt
          ? t('cli.hub.offline', { at: format.time(s.lastSeenAt) })
          : t('cli.hub.never'),
    report: r
      ? t('cli.hub.status', {
          queued: r.queued,
          mb: format.mb(r.queuedBytes),
          freeGb: r.freeBytes === null ? '—' : (r.freeBytes / 1024 ** 3).toFixed(1),
          version: r.appVersion ?? '—',
        })
      : t('cli.hub.noReport'),
    clockOff: r && clockIsOff(r.clockSkewMs) ? t('clock.off', skewParams(t, r.clockSkewMs)) : null,
    error: r?.lastError ? t('cli.hub.error', { error: describeSyncError(t, r.lastError) }) : null,
  };
}
