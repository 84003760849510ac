import { useEffect, useState } from 'react';
import { formatGrams, type ScaleState } from '../../../shared/domain/scale/weights';
import { useApi, useEvent } from '../api/context';

const OFF: ScaleState = { connection: 'off', port: '', grams: null, stable: false, badFrames: 0, error: null };

/** The scale as the core reports it: the state once at mount, then every `scale.state` event. */
export function useScale(): ScaleState {
  const api = useApi();
  const [state, setState] = useState<ScaleState>(OFF);
  useEffect(() => {
    let alive = true;
    void api.call('scale.state', {}).then((r) => alive && r.ok && setState(r.value));
    return () => {
      alive = false;
    };
  }, [api]);
  useEvent('scale.state', setState);
  return state;
}

/** The overlay's weight line (null: no scale, or no reading to show) */
export function scaleOverlayLine(s: ScaleState, t: (key: string, p?: Record<string, string>) => string): string | null {
  if (s.connection !== 'connected' || s.grams == null) return null;
  return t(s.stable ? 'scale.overlayWeight' : 'scale.overlayUnstable', { weight: formatGrams(s.grams) });
}
