import { useState } from 'react';
import type { HubStationInfo } from '../../../shared/hub/protocol';
import { describeStation } from '../../../shared/hub/station-text';
import { useApi } from '../api/context';
import { useNotify } from '../components/Notices';
import { megabytes } from '../components/SyncIndicator';
import { useT } from '../i18n';

/** On the hub: every paired station with its last report; rename or revoke one. */
export function HubStationTable({ stations, reload }: { stations: HubStationInfo[]; reload: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  // revoking cuts a station off: a second press, on the button that now says what it does
  const [confirming, setConfirming] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const when = (iso: string) => new Date(iso).toLocaleString(lang, { hour12: false });
  const revoke = async (name: string) => {
    const r = await api.call('hub.revokeStation', { stationName: name });
    if (!r.ok) return notify.error(r.error);
    reload();
  };
  const rename = async () => {
    if (!renaming) return;
    const r = await api.call('hub.renameStation', { stationName: renaming.from, newName: renaming.to });
    if (!r.ok) return notify.error(r.error);
    setRenaming(null);
    reload();
  };
  if (!stations.length) return <p data-testid="hub-host-stations">{t('cli.hub.noStations')}</p>;
  return (
    <table className="table" data-testid="hub-host-stations">
      <thead>
        <tr>
          <th>{t('settings.hubHost.station')}</th>
          <th>{t('settings.hubHost.state')}</th>
          <th>{t('settings.hubHost.report')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {stations.map((s) => {
          const d = describeStation(t, s, { time: when, mb: megabytes });
          const live = !s.revokedAt;
          return (
            <tr key={s.id} data-testid="hub-host-station-row" data-online={s.online} data-name={s.name}>
              <td>
                {renaming?.from === s.name ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void rename();
                    }}
                  >
                    <input
                      autoFocus
                      value={renaming.to}
                      maxLength={64}
                      aria-label={t('settings.hubHost.renameTo', { station: s.name })}
                      onChange={(e) => setRenaming({ from: s.name, to: e.target.value })}
                      onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                      data-testid="hub-host-rename-input"
                    />
                  </form>
                ) : (
                  s.name
                )}
              </td>
              <td>{d.seen}</td>
              <td>
                {d.report}
                {d.clockOff && (
                  <span className="error" data-testid="hub-host-clock-off">
                    {' '}
                    ⚠ {d.clockOff}
                  </span>
                )}
                {d.error && <span className="error"> {d.error}</span>}
              </td>
              <td>
                {live && renaming?.from !== s.name && (
                  <button
                    type="button"
                    onClick={() => setRenaming({ from: s.name, to: s.name })}
                    data-testid="hub-host-rename"
                  >
                    {t('settings.hubHost.rename')}
                  </button>
                )}{' '}
                {live && confirming !== s.name && (
                  <button type="button" onClick={() => setConfirming(s.name)} data-testid="hub-host-revoke">
                    {t('settings.hubHost.revoke')}
                  </button>
                )}
                {live && confirming === s.name && (
                  <button
                    type="button"
                    className="danger"
                    autoFocus
                    onBlur={() => setConfirming(null)}
                    onClick={() => {
                      setConfirming(null);
                      void revoke(s.name);
                    }}
                    data-testid="hub-host-revoke-confirm"
                  >
                    {t('settings.hubHost.revokeConfirm', { station: s.name })}
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
