import { useCallback, useEffect, useRef, useState } from 'react';
import { hasMessage } from '../../../shared/i18n';
import { useApi, useEvent } from '../api/context';
import { useSettings } from '../app/settings-context';
import { useNotify } from '../components/Notices';
import { formatDuration, useT } from '../i18n';
import { LastSavedCard } from './LastSavedCard';
import { LiveMeters } from './LiveMeters';
import { RecentEvidence } from './RecentEvidence';
import { ReturnChecklist } from './ReturnChecklist';
import { takeStill } from './photo';
import { useCamera } from './useCamera';
import { useEvidenceFont } from './evidence-font';
import { usePreview } from './usePreview';
import { useIdleMotion } from './useIdleMotion';
import { useScannerInput } from './useScannerInput';
import { useStation } from './useStation';
import { useProfileLimits } from './useProfileLimits';
import { SerialAlert, useSerialScan } from './useSerialScan';
import { useItemScan } from './useItemScan';
import { InterceptionAlert } from './InterceptionAlert';
import { useInterception } from './useInterception';
import { speakNotes } from './speak-notes';
import { ScaleCard } from './ScaleCard';
import { scaleOverlayLine, useScale } from './useScale';

/** The packing station: camera live from the start; scanner, hotkeys and pedal drive it. */
export function StationScreen({ active, navigate }: { active: boolean; navigate: (id: string, arg?: string) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const notify = useNotify();
  const { settings, update } = useSettings();
  const limits = useProfileLimits(settings.profileId);
  // the camera opens once the overlay's font has loaded (or failed: recording never waits on it)
  const font = useEvidenceFont();
  const camera = useCamera({
    deviceId: settings.cameraDeviceId,
    width: settings.videoWidth,
    height: settings.videoHeight,
    fps: settings.fps,
    audio: settings.recordAudio,
    enabled: font !== 'loading',
  });
  const liveStream = camera.state.status === 'live' ? camera.state.stream : null;
  const [manual, setManual] = useState('');
  const [photoFlash, setPhotoFlash] = useState<string | null>(null);

  const onInfo = useCallback(
    (key: string, params?: Record<string, string | number>) =>
      notify.show(
        key.includes('duplicate') ||
          key.includes('First') ||
          key.includes('needs') ||
          key.includes('noCamera') ||
          key.includes('lowDisk')
          ? 'warn'
          : 'info',
        t(key, params),
      ),
    [notify, t],
  );
  // the overlay reads the station state through a ref-backed getter (set below)
  const overlayState = useRef(() => ({
    lines: [] as string[],
    recording: false,
    elapsedText: null as string | null,
    lang,
  }));
  const preview = usePreview(liveStream, settings.fps, () => overlayState.current());
  const serial = useSerialScan(settings);
  const items = useItemScan();
  const scale = useScale();
  const intercept = useInterception(notify.error);
  const station = useStation({
    settings,
    getStream: preview.recordStream,
    beforeStart: preview.redraw,
    limits,
    onError: intercept.onError,
    onInfo,
    onSerial: serial.onSerial,
    onItem: items.onItem,
    onSaved: items.onSaved,
  });
  intercept.attach(station);
  const { view } = station;
  const sessionId = view.session?.id;
  useEffect(() => {
    if (view.session && settings.speakNotes) speakNotes(view.session, lang, t);
    // once per recording, not on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId]);
  useIdleMotion(view.session?.id ?? null, preview.cameraVideo);
  useEvent('notice', (n) => {
    if (n.code === 'recording.autoStopped' && typeof n.params?.recordingId === 'string')
      station.stopIdle(n.params.recordingId);
  });

  overlayState.current = () => {
    const stats = station.stats();
    const live = station.live();
    const s = live?.session;
    const lines = live
      ? [
          `${t('station.overlay.order')} ${s?.orderNo ?? live.code}${s?.trackingNo && s.trackingNo !== s.orderNo ? `  ${t('station.overlay.tracking')} ${s.trackingNo}` : ''}`,
          // SKU-first packing: until the label is scanned the video says which SKU started it
          s?.provisionalSku ? t('station.overlay.provisional', { sku: s.provisionalSku }) : null,
          [
            settings.stationName && `${t('station.overlay.station')} ${settings.stationName}`,
            settings.operator && `${t('station.overlay.operator')} ${settings.operator}`,
            t(`mode.${settings.mode}`),
          ]
            .filter(Boolean)
            .join('  '),
          // the scale's reading is burned in with the order: the video shows what it weighed
          scaleOverlayLine(scale, t),
        ].filter((l): l is string => l != null)
      : [t('station.overlay.waiting')];
    return { lines, recording: live !== null, elapsedText: stats ? formatDuration(stats.elapsedMs) : null, lang };
  };

  const takePhoto = useCallback(async () => {
    const orderId = view.session?.orderId ?? view.lastOrderId;
    if (!liveStream) return onInfo('station.noCamera');
    if (!orderId) return onInfo('station.scanFirst');
    try {
      const order = view.session?.orderNo ?? view.code ?? '';
      const data = await takeStill(
        liveStream,
        `${order}  ${new Date().toLocaleString(lang, { hour12: false })}  ${settings.stationName}`,
      );
      const r = await api.call('capture.photo', { orderId, mode: settings.mode, mime: 'image/jpeg', data });
      if (!r.ok) return notify.error(r.error);
      setPhotoFlash(api.mediaUrl(r.value.path));
      setTimeout(() => setPhotoFlash(null), 2500);
      notify.show('success', t('station.photoSaved'));
    } catch (e) {
      notify.show('error', t('station.photoFailed', { detail: (e as Error).message }));
    }
  }, [view, liveStream, api, settings, lang, notify, t, onInfo]);

  // while the interception alert is up the station takes no scans and no hotkeys
  useScannerInput(active && !intercept.alert, settings, station.onScan, (a) =>
    a === 'toggle' ? station.toggle() : a === 'photo' ? void takePhoto() : station.mark(),
  );

  const submitManual = (e: React.FormEvent) => {
    e.preventDefault();
    // an empty Enter gets a hint, not silence: the packer sees why nothing started
    if (manual.trim()) station.onScan(manual.trim());
    else onInfo('station.scanFirst');
    setManual('');
  };
  const recording = view.phase !== 'idle';
  return (
    <div className="station" data-testid="station" data-phase={view.phase}>
      <div className="station-main">
        <div className={`preview ${recording ? 'rec' : ''}`}>
          <canvas ref={preview.canvasRef} data-testid="preview" />
          {camera.state.status === 'opening' && <div className="preview-msg">{t('station.cameraOpening')}</div>}
          {camera.state.status === 'error' && (
            <div className="preview-msg error">
              {/* the common getUserMedia failures get a plain reason and what to do */}
              <span data-testid="camera-error">
                {hasMessage(`station.cameraError.${camera.state.name}`)
                  ? t(`station.cameraError.${camera.state.name}`)
                  : t('station.cameraError', { detail: camera.state.name })}
              </span>
              <button onClick={camera.retry} data-testid="camera-retry">
                {t('common.retry')}
              </button>
            </div>
          )}
          {font === 'failed' && (
            <div className="preview-note warn" data-testid="font-fallback">
              {t('station.fontFallback')}
            </div>
          )}
          {photoFlash && <img className="photo-flash" src={photoFlash} alt="" data-testid="photo-thumb" />}
        </div>
        <form className="manual" onSubmit={submitManual}>
          <input
            data-scan-target="1"
            data-testid="manual-code"
            value={manual}
            onChange={(e) => setManual(e.target.value)}
            placeholder={t('station.manualPlaceholder')}
            aria-label={t('station.manualPlaceholder')}
          />
          <button type="submit">
            {recording && manual.trim() === view.code ? t('station.stop') : t('station.start')}
          </button>
        </form>
      </div>
      <aside className="station-side">
        <div className={`status-card ${view.phase}`} data-testid="status">
          <div className="status-label">{t(`station.phase.${view.phase}`)}</div>
          <div className="status-order" data-testid="status-order">
            {view.session?.orderNo ?? view.code ?? '—'}
          </div>
          {view.session?.provisionalSku && (
            <div className="warn" data-testid="status-provisional">
              {t('station.provisionalHint', { sku: view.session.provisionalSku })}
            </div>
          )}
          {view.session?.trackingNo && view.session.trackingNo !== view.session.orderNo && (
            <div className="muted">
              {t('station.overlay.tracking')} {view.session.trackingNo}
            </div>
          )}
          {view.session?.notes && (view.session.notes.buyerNote || view.session.notes.sellerRemark) && (
            <div className="order-notes" data-testid="order-notes">
              {view.session.notes.buyerNote && (
                <div>{t('station.notes.buyer', { text: view.session.notes.buyerNote })}</div>
              )}
              {view.session.notes.sellerRemark && (
                <div>{t('station.notes.seller', { text: view.session.notes.sellerRemark })}</div>
              )}
            </div>
          )}
          {view.saving > 0 && (
            <div className="muted" data-testid="saving">
              {t('station.saving')}
            </div>
          )}
        </div>
        {view.lastSaved && !recording && (
          <LastSavedCard
            evidence={view.lastSaved.evidence}
            orderNo={view.lastSaved.orderNo}
            onOpen={() => navigate('orders', String(view.lastSaved!.evidence.orderId))}
          />
        )}
        <ScaleCard scale={scale} />
        <LiveMeters stats={station.stats} limits={limits} warnAt={settings.warnAtRatio} recording={recording} />
        <div className="mode-switch" role="radiogroup">
          {(['outbound', 'return'] as const).map((m) => (
            <button
              key={m}
              role="radio"
              aria-checked={settings.mode === m}
              className={settings.mode === m ? 'active' : ''}
              disabled={recording}
              onClick={() => void update({ mode: m })}
              data-testid={`mode-${m}`}
            >
              {t(`mode.${m}`)}
            </button>
          ))}
        </div>
        {settings.mode === 'return' && (
          <ReturnChecklist
            marked={view.marked}
            recording={recording}
            onMark={station.mark}
            markKey={settings.hotkeys.markStep}
          />
        )}
        <div className="actions">
          <button onClick={station.toggle} data-testid="toggle">
            {recording ? t('station.stop') : t('station.start')} <kbd>{settings.hotkeys.toggleRecording}</kbd>
          </button>
          <button onClick={() => void takePhoto()} data-testid="photo">
            {t('station.photo')} <kbd>{settings.hotkeys.photo}</kbd>
          </button>
        </div>
        <p className="hint">
          {t('station.hint', {
            toggle: settings.hotkeys.toggleRecording,
            pedal: settings.hotkeys.pedal,
            photo: settings.hotkeys.photo,
          })}
        </p>
        <RecentEvidence onOpen={(orderId) => navigate('orders', String(orderId))} />
      </aside>
      <SerialAlert alert={serial.alert} onDismiss={serial.dismiss} />
      <InterceptionAlert
        alert={intercept.alert}
        confirmKey={settings.hotkeys.confirmInterception}
        onConfirm={intercept.confirm}
      />
    </div>
  );
}
