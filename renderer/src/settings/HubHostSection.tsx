import { useEffect, useState } from 'react';
import { useApi, useQuery } from '../api/context';
import { useSettings } from '../app/settings-context';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';
import { HubManagedGroups } from './HubManagedGroups';
import { HubStationTable } from './HubStationTable';
import { HubStoreCheck } from './HubStoreCheck';

/** The station list is re-read this often while the section is open (stations report once a minute). */
const REFRESH_MS = 10_000;

/**
 * Settings → "This PC is the warehouse hub": for shops whose office PC is the hub. Turned
 * on, the app serves stations on the LAN (as `proofpack hub` does); here staff make a
 * pairing code for a station, see every station's state and revoke one.
 */
export function HubHostSection() {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const { settings, update } = useSettings();
  const [port, setPort] = useState(String(settings.hubServe.port));
  const [stationName, setStationName] = useState('');
  const [code, setCode] = useState<{ station: string; code: string; expiresAt: string } | null>(null);
  const host = useQuery('hub.hostStatus', {}, [
    settings.hubServe.enabled,
    settings.hubServe.port,
    settings.hubServe.https,
  ]);
  const stations = useQuery('hub.stations', {}, [host.data?.running]);
  const reloadStations = stations.reload;
  useEffect(() => {
    if (!host.data?.running) return;
    const timer = setInterval(reloadStations, REFRESH_MS);
    return () => clearInterval(timer);
  }, [host.data?.running, reloadStations]);

  const serve = async (enabled: boolean) => {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 0 || n > 65535) return notify.show('error', t('cli.hub.badPort', { port }));
    if (await update({ hubServe: { ...settings.hubServe, enabled, port: n } })) host.reload();
  };
  const makeCode = async () => {
    const r = await api.call('hub.pairCode', { stationName });
    if (!r.ok) return notify.error(r.error);
    setCode({ station: stationName.trim(), ...r.value });
    setStationName('');
    stations.reload();
  };
  const h = host.data;
  const when = (iso: string) => new Date(iso).toLocaleString(lang, { hour12: false });
  return (
    <fieldset data-testid="hub-host">
      <legend>{t('settings.hubHost.title')}</legend>
      <p className="muted">{t('settings.hubHost.help')}</p>
      <label>
        <input
          type="checkbox"
          checked={settings.hubServe.enabled}
          onChange={(e) => void serve(e.target.checked)}
          data-testid="hub-host-enabled"
        />{' '}
        {t('settings.hubHost.enable')}
      </label>
      <label>
        {t('settings.hubHost.port')}
        <input
          value={port}
          inputMode="numeric"
          onChange={(e) => setPort(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void serve(settings.hubServe.enabled)}
          data-testid="hub-host-port"
        />
      </label>
      <label>
        <input
          type="checkbox"
          checked={settings.hubServe.https}
          onChange={(e) => void update({ hubServe: { ...settings.hubServe, https: e.target.checked } })}
          data-testid="hub-host-https"
        />{' '}
        {t('settings.hubHost.https')}
      </label>
      {h?.running && (
        <p data-testid="hub-host-urls" data-port={h.port ?? undefined}>
          {t('settings.hubHost.serving', { urls: h.urls.join('  '), media: h.mediaRoot ?? '' })}
        </p>
      )}
      {h?.running && h.urls[0] && (
        <p>
          <a href={h.urls[0]} target="_blank" rel="noreferrer" data-testid="hub-host-staff-app">
            {t('settings.hub.staffApp')}
          </a>
        </p>
      )}
      {h?.running && h.fingerprint && (
        <p className="hint" style={{ overflowWrap: 'anywhere' }} data-testid="hub-host-fingerprint">
          {t('cli.hub.fingerprint', { fingerprint: h.fingerprint })}
        </p>
      )}
      {h?.enabled && !h.running && h.problem && (
        <p role="alert" className="error" data-testid="hub-host-error">
          {t(`problem.${h.problem}`, { port: settings.hubServe.port, cause: h.error ?? '' })}
        </p>
      )}
      {h?.running && (
        <>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void makeCode();
            }}
          >
            <label>
              {t('settings.hubHost.stationName')}
              <input
                value={stationName}
                maxLength={64}
                placeholder="打包台 1"
                onChange={(e) => setStationName(e.target.value)}
                data-testid="hub-host-station"
              />
            </label>
            <button type="submit" disabled={!stationName.trim()} data-testid="hub-host-make-code">
              {t('settings.hubHost.makeCode')}
            </button>
          </form>
          {code && (
            <p className="pairing-code" data-testid="hub-host-code" data-code={code.code}>
              {t('cli.hub.code', { station: code.station, code: code.code, expiresAt: when(code.expiresAt) })}
            </p>
          )}
          <HubStationTable stations={stations.data ?? []} reload={stations.reload} />
          <HubManagedGroups />
          <HubStoreCheck />
        </>
      )}
    </fieldset>
  );
}
