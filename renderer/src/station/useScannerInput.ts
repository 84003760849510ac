import { useEffect, useRef } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import { ScannerDetector } from '../../../shared/domain/scanner-detector';

export type StationAction = 'toggle' | 'photo' | 'mark';

/**
 * Keyboard, scanner and pedal input for the station, wherever focus is. Scanner bursts
 * are kept out of text boxes; hotkeys are matched on KeyboardEvent.code so keyboard
 * layouts and pedals (which emulate a key) behave the same.
 */
export function useScannerInput(
  active: boolean,
  settings: Settings,
  onScan: (code: string) => void,
  onAction: (a: StationAction) => void,
) {
  const detector = useRef(new ScannerDetector(settings.scanner));
  const handlers = useRef({ onScan, onAction });
  handlers.current = { onScan, onAction };
  useEffect(() => detector.current.setOptions(settings.scanner), [settings.scanner]);
  useEffect(() => {
    if (!active) return;
    const hk = settings.hotkeys;
    const actions: Record<string, StationAction> = {
      [hk.toggleRecording]: 'toggle',
      [hk.pedal]: 'toggle',
      [hk.photo]: 'photo',
      [hk.markStep]: 'mark',
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      const action = actions[e.code];
      if (action && !e.repeat) {
        e.preventDefault();
        handlers.current.onAction(action);
        return;
      }
      // the timestamp (when the OS got the key) judges the speed; now, when the page got it,
      // measures the pause that ends an Enter-less code: a busy page handles keys late
      const { output, consumed } = detector.current.feed(e.key, e.timeStamp, performance.now());
      if (consumed) e.preventDefault();
      if (output) {
        const target = e.target as HTMLElement | null;
        if (target instanceof HTMLInputElement) target.value = '';
        handlers.current.onScan(output.code);
      }
    };
    const timer = setInterval(() => {
      const out = detector.current.tick(performance.now());
      if (out) {
        const el = document.activeElement;
        if (el instanceof HTMLInputElement && el.dataset.scanTarget) el.value = '';
        handlers.current.onScan(out.code);
      }
    }, 40);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      clearInterval(timer);
    };
  }, [active, settings.hotkeys]);
}
