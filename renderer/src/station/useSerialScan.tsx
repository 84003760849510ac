import { useCallback, useRef, useState } from 'react';
import type { SerialScanResult } from '../../../shared/domain/insight/types';
import type { Settings } from '../../../shared/domain/settings';
import { useApi } from '../api/context';
import { useNotify } from '../components/Notices';
import { formatDuration, useT } from '../i18n';
import type { Recording } from './recorder';
import '../insight/insight.css';

/**
 * Serial numbers / IMEIs scanned at the station (told apart from order codes by the
 * settings' serialPatterns in useStation.onScan). While a recording runs, the serial is
 * attached to its order with the second of the video it was scanned at; a return whose
 * serial differs from the one recorded at packing raises a loud alert at once.
 */
export interface SerialAlertState {
  orderNo: string;
  returned: string;
  packed: string[];
}

export function useSerialScan(settings: Settings) {
  const api = useApi();
  const notify = useNotify();
  const { t } = useT();
  const [alert, setAlert] = useState<SerialAlertState | null>(null);
  const ref = useRef({ settings, t, notify });
  ref.current = { settings, t, notify };
  const last = useRef<{ code: string; at: number } | null>(null);

  const onSerial = useCallback(
    (code: string, recording: Recording | null) => {
      const { t: tr, notify: n, settings: s } = ref.current;
      // the scanner's double trigger: the same serial again within the duplicate window is ignored
      const now = performance.now();
      const prev = last.current;
      last.current = { code, at: now };
      if (prev && prev.code === code && now - prev.at < s.scanner.duplicateWindowMs) return;
      if (!recording) return n.show('warn', tr('serial.needsRecording', { serial: code }));
      // the second of the video the label was scanned at, measured now (not when the server answers)
      const atMs = Math.round(performance.now() - recording.startedAt);
      recording
        .ready()
        .then((session) => api.call('serials.scan', { recordingId: session.id, code, atMs }))
        .then((r) => {
          if (!r.ok) return n.error(r.error);
          const v: SerialScanResult = r.value;
          if (v.result === 'mismatch') setAlert({ orderNo: v.orderNo, returned: v.serial, packed: v.packedSerials });
          else if (v.result === 'match') n.show('success', tr('serial.match', { serial: v.serial }));
          else if (v.result === 'missing') n.show('warn', tr('serial.missing', { serial: v.serial }));
          else
            n.show(
              'info',
              tr('serial.recorded', { serial: v.serial, at: formatDuration(atMs), photo: s.hotkeys.photo }),
            );
        })
        .catch(() => undefined); // a recording that failed to start already reported why
    },
    [api],
  );

  return { onSerial, alert, dismiss: () => setAlert(null) };
}

/** The loud station notice for a swapped item: big, red, pulsing, until acknowledged. */
export function SerialAlert({ alert, onDismiss }: { alert: SerialAlertState | null; onDismiss: () => void }) {
  const { t } = useT();
  if (!alert) return null;
  return (
    <div className="serial-alert" role="alert" data-testid="serial-alert">
      <h2>{t('serial.mismatchTitle')}</h2>
      <p>{alert.orderNo}</p>
      <p>{t('serial.mismatchBody', { returned: alert.returned, packed: alert.packed.join(', ') })}</p>
      <button className="primary" onClick={onDismiss} autoFocus>
        {t('serial.dismiss')}
      </button>
    </div>
  );
}
