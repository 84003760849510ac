import { useEffect, useRef } from 'react';
import { useT } from '../i18n';
import './intercept.css';

export interface InterceptState {
  orderId: string;
  orderNo: string;
  status: string;
  statusAt: string | null;
  source: 'api' | 'import' | null;
  /** a running recording of the order was saved and stopped by this alert */
  stopped: boolean;
}

/** Three loud beeps now and one every two seconds until confirmed (WebAudio: no sound file). */
function useAlarm(on: boolean) {
  useEffect(() => {
    if (!on) return;
    const Ctx =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const audio = new Ctx();
    const beep = (at: number) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, at);
      gain.gain.setValueAtTime(0, at + 0.18);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.2);
    };
    const burst = () => [0, 0.3, 0.6].forEach((d) => beep(audio.currentTime + d));
    burst();
    const timer = setInterval(burst, 2000);
    return () => {
      clearInterval(timer);
      void audio.close();
    };
  }, [on]);
}

/**
 * 拦截: full screen, red, beeping, with the reason. Only the confirm key (or the button)
 * closes it; while it is up the station takes no scans, so nothing can be recorded.
 */
export function InterceptionAlert({
  alert,
  confirmKey,
  onConfirm,
}: {
  alert: InterceptState | null;
  confirmKey: string;
  onConfirm: () => void;
}) {
  const { t, lang } = useT();
  useAlarm(alert !== null);
  const confirm = useRef(onConfirm);
  confirm.current = onConfirm;
  useEffect(() => {
    if (!alert) return;
    const onKey = (e: KeyboardEvent) => {
      // every key stops here: a scan during the alert must not reach the station
      e.preventDefault();
      e.stopImmediatePropagation();
      if (e.code === confirmKey && !e.repeat) confirm.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [alert, confirmKey]);
  if (!alert) return null;
  const at = alert.statusAt ? new Date(alert.statusAt).toLocaleString(lang, { hour12: false }) : '';
  return (
    <div className="intercept-alert" role="alertdialog" aria-modal="true" data-testid="intercept-alert">
      <h1>{t('intercept.title')}</h1>
      <div className="reason" data-testid="intercept-reason">
        {t('intercept.reason', { orderNo: alert.orderNo, status: t(`orderStatus.${alert.status}`) })}
      </div>
      {alert.source && <div className="muted">{t(`intercept.source.${alert.source}`, { at })}</div>}
      <div className="muted">{t(alert.stopped ? 'intercept.stopped' : 'intercept.noRecording')}</div>
      <button onClick={() => confirm.current()} data-testid="intercept-confirm">
        {t('intercept.confirm', { key: confirmKey })}
      </button>
    </div>
  );
}
