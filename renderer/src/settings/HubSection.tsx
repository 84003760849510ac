import { useState } from 'react';
import { useApi, useQuery } from '../api/context';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';
import { megabytes, useSyncStatus } from '../components/SyncIndicator';
import { clockIsOff, skewParams } from '../../../shared/hub/clock-skew';
import { describeSyncError } from '../../../shared/hub/sync-error-text';
import { StaffHubConnect } from './StaffHubConnect';

/**
 * Settings → Warehouse hub: pair this station with the hub by its address and the
 * one-time code shown there (or printed by `proofpack hub pair`). Keyboard only: the code
 * field submits on Enter; a scanner can type a code printed as a barcode.
 */
export function HubSection() {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const link = useQuery('hub.link', {}, []);
  const [hubUrl, setHubUrl] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const sync = useSyncStatus();
  const syncNow = async () => {
    setBusy(true);
    const r = await api.call('hub.syncNow', {});
    setBusy(false);
    if (!r.ok) return notify.error(r.error);
    notify.show(r.value.failed ? 'error' : 'success', t('cli.sync.summary', { ...r.value }));
  };
  const join = async () => {
    if (busy) return;
    setBusy(true);
    const r = await api.call('hub.join', { hubUrl, code });
    setBusy(false);
    if (!r.ok) return notify.error(r.error);
    setCode('');
    notify.show('success', t('settings.hub.joined', { hubUrl: r.value.hubUrl, stationName: r.value.stationName }));
    link.reload();
  };
  const current = link.data;
  return (
    <fieldset data-testid="hub">
      <legend>{t('settings.hub.title')}</legend>
      <p data-testid="hub-link">
        {current
          ? t('settings.hub.linked', {
              hubUrl: current.hubUrl,
              stationName: current.stationName,
              pairedAt: new Date(current.pairedAt).toLocaleString(lang, { hour12: false }),
            })
          : t('settings.hub.none')}
      </p>
      {current && (
        <p>
          {/* staff at this PC sign in to the hub's staff app with their own account (an app window in the desktop app) */}
          <a href={current.hubUrl} target="_blank" rel="noreferrer" data-testid="hub-staff-app">
            {t('settings.hub.staffApp')}
          </a>
        </p>
      )}
      {current?.fingerprint && (
        <p className="hint" style={{ overflowWrap: 'anywhere' }} data-testid="hub-fingerprint">
          {t('settings.hub.pinned', { fingerprint: current.fingerprint })}
        </p>
      )}
      {current && sync && (
        <p data-testid="hub-sync">
          {t('settings.hub.sync', {
            queued: sync.queued,
            mb: megabytes(sync.queuedBytes),
            verified: sync.verified,
            at: sync.lastVerifiedAt ? new Date(sync.lastVerifiedAt).toLocaleString(lang, { hour12: false }) : '—',
          })}{' '}
          <button type="button" disabled={busy} onClick={() => void syncNow()} data-testid="hub-sync-now">
            {t('settings.hub.syncNow')}
          </button>
          {sync.lastError && sync.queued > 0 && (
            <span className="error">
              {' '}
              {t('settings.hub.syncError', { error: describeSyncError(t, sync.lastError) })}
            </span>
          )}
        </p>
      )}
      {current && sync?.lastContactAt && (
        <p data-testid="hub-contact">
          {t('settings.hub.lastContact', {
            at: new Date(sync.lastContactAt).toLocaleString(lang, { hour12: false }),
          })}
          {sync.lastError && !sync.queued && (
            <span className="error">
              {' '}
              {t('settings.hub.syncError', { error: describeSyncError(t, sync.lastError) })}
            </span>
          )}
        </p>
      )}
      {current && clockIsOff(sync?.clockSkewMs) && (
        <p role="alert" className="error" data-testid="hub-clock-off">
          {t('settings.hub.clockOff', skewParams(t, sync.clockSkewMs))}
        </p>
      )}
      <p className="muted">{t('settings.hub.help')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void join();
        }}
      >
        <label>
          {t('settings.hub.url')}
          <input
            data-testid="hub-url"
            value={hubUrl}
            placeholder="http://192.168.1.10:4870/"
            onChange={(e) => setHubUrl(e.target.value)}
          />
        </label>
        <label>
          {t('settings.hub.code')}
          <input
            data-testid="hub-code"
            value={code}
            placeholder="K7M2-9QXD"
            autoComplete="off"
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy || !hubUrl.trim() || !code.trim()} data-testid="hub-join">
          {current ? t('settings.hub.rejoin') : t('settings.hub.join')}
        </button>
      </form>
      {!current && <StaffHubConnect />}
    </fieldset>
  );
}
