import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { useQuery } from '../api/context';
import { useSettings } from '../app/settings-context';
import { useNotify } from '../components/Notices';
import { translate } from '../../../shared/i18n';
import { useT } from '../i18n';
import { HotkeyField } from './HotkeyField';
import { WebhooksSection } from './WebhooksSection';
import { HubSection } from './HubSection';
import { HubHostSection } from './HubHostSection';
import { CamerasSettings } from './CamerasSettings';
import { ScaleSettings } from './ScaleSettings';
import { ManagedNotice, useManagedByHub } from './ManagedByHub';
import { describeProblem, validateSettings } from './validate-settings';

/** Station settings: everything optional; the station works with none of it set. */
export function SettingsScreen() {
  const { t } = useT();
  const notify = useNotify();
  const { settings, update } = useSettings();
  const [draft, setDraft] = useState<Settings>(settings);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const info = useQuery('app.info', {}, []);
  const hub = useManagedByHub();
  const scannerManaged = hub.groups.has('scanner');
  useEffect(() => setDraft(settings), [settings]);
  useEffect(() => {
    void navigator.mediaDevices?.enumerateDevices().then((d) => setCameras(d.filter((x) => x.kind === 'videoinput')));
  }, []);
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const [problems, setProblems] = useState<string[]>([]);
  const save = async () => {
    const found = validateSettings(draft).map((p) => describeProblem(t, p));
    setProblems(found);
    if (found.length) return notify.show('error', `${t('settings.invalid.title')} ${found[0]}`);
    // in the language just chosen: the UI switches with this save
    if (await update(draft)) notify.show('success', translate(draft.language, 'common.saved'));
  };
  const lines = (v: string[]) => v.join('\n');
  const unlines = (v: string) =>
    v
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
  return (
    <div className="settings" data-testid="settings">
      <h2>{t('nav.settings')}</h2>
      <fieldset>
        <legend>{t('settings.station')}</legend>
        <label>
          {t('settings.language')}
          <select
            value={draft.language}
            onChange={(e) => set('language', e.target.value as Settings['language'])}
            data-testid="language"
          >
            <option value="zh-CN">{t('lang.zh-CN')}</option>
            <option value="en">{t('lang.en')}</option>
          </select>
        </label>
        <label>
          {t('settings.stationName')}
          <input
            value={draft.stationName}
            maxLength={64}
            disabled={hub.named}
            title={hub.named ? t('settings.stationNameByHub') : undefined}
            onChange={(e) => set('stationName', e.target.value)}
            data-testid="station-name"
          />
        </label>
        <label>
          {t('settings.operator')}
          <input value={draft.operator} maxLength={64} onChange={(e) => set('operator', e.target.value)} />
        </label>
        <label title={t('settings.shopHelp')}>
          {t('settings.shop')}
          <input
            value={draft.shop}
            maxLength={100}
            onChange={(e) => set('shop', e.target.value)}
            data-testid="station-shop"
          />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t('settings.camera')}</legend>
        <label>
          {t('settings.cameraDevice')}
          <select value={draft.cameraDeviceId} onChange={(e) => set('cameraDeviceId', e.target.value)}>
            <option value="">{t('settings.cameraFirst')}</option>
            {cameras.map((c, i) => (
              <option key={c.deviceId || i} value={c.deviceId}>
                {c.label || `${t('settings.camera')} ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('settings.resolution')}
          <select
            value={`${draft.videoWidth}x${draft.videoHeight}`}
            onChange={(e) => {
              const [w, h] = e.target.value.split('x').map(Number);
              setDraft((d) => ({ ...d, videoWidth: w, videoHeight: h }));
            }}
          >
            {['1280x720', '1920x1080', '640x480'].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.recordAudio} onChange={(e) => set('recordAudio', e.target.checked)} />
          {t('settings.audio')}
        </label>
        <label className="check" title={t('settings.speakNotes.help')}>
          <input
            type="checkbox"
            checked={draft.speakNotes}
            onChange={(e) => set('speakNotes', e.target.checked)}
            data-testid="speak-notes"
          />
          {t('settings.speakNotes')}
        </label>
      </fieldset>
      <ManagedNotice groups={hub.groups} show={['scanner']} />
      <fieldset disabled={scannerManaged} data-testid="settings-keys">
        <legend>{t('settings.keys')}</legend>
        <HotkeyField
          label={t('settings.key.toggle')}
          value={draft.hotkeys.toggleRecording}
          onChange={(v) => set('hotkeys', { ...draft.hotkeys, toggleRecording: v })}
        />
        <HotkeyField
          label={t('settings.key.pedal')}
          value={draft.hotkeys.pedal}
          onChange={(v) => set('hotkeys', { ...draft.hotkeys, pedal: v })}
        />
        <HotkeyField
          label={t('settings.key.photo')}
          value={draft.hotkeys.photo}
          onChange={(v) => set('hotkeys', { ...draft.hotkeys, photo: v })}
        />
        <HotkeyField
          label={t('settings.key.mark')}
          value={draft.hotkeys.markStep}
          onChange={(v) => set('hotkeys', { ...draft.hotkeys, markStep: v })}
        />
        <HotkeyField
          label={t('settings.key.confirmInterception')}
          value={draft.hotkeys.confirmInterception}
          onChange={(v) => set('hotkeys', { ...draft.hotkeys, confirmInterception: v })}
        />
        <label>
          {t('settings.duplicateWindow')}
          <input
            type="number"
            min={0}
            max={60000}
            value={draft.scanner.duplicateWindowMs}
            onChange={(e) => set('scanner', { ...draft.scanner, duplicateWindowMs: Number(e.target.value) })}
          />
        </label>
        <label>
          {t('settings.scannerSpeed')}
          <input
            type="number"
            min={5}
            max={200}
            value={draft.scanner.maxInterKeyMs}
            onChange={(e) => set('scanner', { ...draft.scanner, maxInterKeyMs: Number(e.target.value) })}
          />
        </label>
      </fieldset>
      <fieldset disabled={scannerManaged}>
        <legend>{t('settings.patterns')}</legend>
        <label>
          {t('settings.orderPatterns')}
          <textarea
            rows={2}
            value={lines(draft.orderPatterns)}
            onChange={(e) => set('orderPatterns', unlines(e.target.value))}
          />
        </label>
        <label>
          {t('settings.trackingPatterns')}
          <textarea
            rows={4}
            value={lines(draft.trackingPatterns)}
            onChange={(e) => set('trackingPatterns', unlines(e.target.value))}
          />
        </label>
        <label>
          {t('settings.serialPatterns')}
          <textarea
            rows={2}
            value={lines(draft.serialPatterns)}
            onChange={(e) => set('serialPatterns', unlines(e.target.value))}
          />
        </label>
        <label>
          {t('settings.skuPatterns')}
          <textarea
            rows={2}
            data-testid="sku-patterns"
            placeholder="^SKU-[A-Z0-9-]+$"
            value={lines(draft.skuPatterns)}
            onChange={(e) => set('skuPatterns', unlines(e.target.value))}
          />
        </label>
      </fieldset>
      <CamerasSettings />
      <ScaleSettings value={draft.scale} onChange={(v) => set('scale', v)} />
      {problems.length > 0 && (
        <div className="error" role="alert" data-testid="settings-problems">
          <p>{t('settings.invalid.title')}</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <button className="primary" onClick={() => void save()} data-testid="settings-save">
        {t('common.save')}
      </button>
      <HubSection />
      <HubHostSection />
      <WebhooksSection />
      {info.data && (
        <p className="muted">{t('settings.about', { version: info.data.version, dataDir: info.data.dataDir })}</p>
      )}
    </div>
  );
}
