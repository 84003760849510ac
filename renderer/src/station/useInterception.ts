import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api/result';
import type { RecordingSession } from '../../../shared/domain/types';
import { useApi } from '../api/context';
import type { InterceptState } from './InterceptionAlert';

type StationError = ApiError | { code: string; message: string; details?: unknown };

interface StationHandle {
  live: () => { code: string; session: RecordingSession | null } | null;
  stop: () => void;
}

/**
 * Refund interception at the station. The core refuses to record an intercepted order
 * (problem `order-intercepted`): that refusal becomes the full-screen alert instead of a
 * notice. An order marked while its recording runs (the `order.intercepted` event from the
 * order API) stops that recording at once and raises the same alert.
 */
export function useInterception(notifyError: (e: StationError) => void) {
  const api = useApi();
  const [alert, setAlert] = useState<InterceptState | null>(null);
  const station = useRef<StationHandle | null>(null);

  const onError = useCallback(
    (e: StationError) => {
      const d = (e.details ?? {}) as Partial<InterceptState> & { problem?: string };
      if (d.problem === 'order-intercepted' && d.orderId && d.orderNo && d.status) {
        setAlert({
          orderId: d.orderId,
          orderNo: d.orderNo,
          status: d.status,
          statusAt: d.statusAt ?? null,
          source: d.source ?? null,
          stopped: false,
        });
      } else notifyError(e);
    },
    [notifyError],
  );

  useEffect(
    () =>
      api.on('order.intercepted', (p) => {
        const live = station.current?.live();
        if (!live?.session || live.session.orderId !== p.orderId || live.session.mode !== 'outbound') return;
        station.current?.stop();
        setAlert({
          orderId: p.orderId,
          orderNo: p.orderNo,
          status: p.status,
          statusAt: null,
          source: 'api',
          stopped: true,
        });
      }),
    [api],
  );

  const confirm = useCallback(() => {
    setAlert((a) => {
      if (a)
        void api.call('orders.confirmInterception', { orderId: a.orderId }).then((r) => r.ok || notifyError(r.error));
      return null;
    });
  }, [api, notifyError]);

  return { alert, onError, confirm, attach: (s: StationHandle) => (station.current = s) };
}
