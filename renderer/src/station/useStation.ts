import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api/result';
import type { Settings } from '../../../shared/domain/settings';
import type { Evidence, Id, RecordingSession } from '../../../shared/domain/types';
import { nextStep } from '../../../shared/domain/return-steps';
import { classifyCode } from '../../../shared/domain/scan-code';
import { useApi } from '../api/context';
import { Recording, RecorderError } from './recorder';
import { guardDiskSpace } from './disk-guard';

export interface StationLimits {
  maxVideoMs: number;
  maxVideoBytes: number;
}

export type StationPhase = 'idle' | 'starting' | 'recording';

export interface StationView {
  phase: StationPhase;
  code: string | null;
  session: RecordingSession | null;
  marked: string[];
  lastOrderId: Id | null;
  lastSaved: { evidence: Evidence; orderNo: string } | null;
  saving: number;
}

/**
 * The station's state machine. Scan a code → record; the same code again → stop; a
 * different code → save the current one and start the next at once; a re-scan within
 * the duplicate window is ignored. At a profile limit the recording is saved and a new
 * part of the same order starts, so coverage never has a hole.
 */
export function useStation(opts: {
  settings: Settings;
  getStream: () => MediaStream | null;
  /** called after the live state names the new order and before recording starts */
  beforeStart?: () => void;
  limits: StationLimits;
  onError: (e: ApiError | { code: string; message: string; details?: unknown }) => void;
  onInfo: (key: string, params?: Record<string, string | number>) => void;
  /** a SKU scanned while recording: an item packed (useItemScan) */
  onItem?: (code: string, recording: Recording) => void;
  /** a recording was saved (the missing-items check runs then) */
  onSaved?: (recordingId: string) => void;
  /** a code matching the settings' serialPatterns: attached to the running recording's order (useSerialScan) */
  onSerial?: (code: string, recording: Recording | null) => void;
}) {
  const api = useApi();
  const rec = useRef<Recording | null>(null);
  /** read synchronously by the overlay on every frame (React state would lag a render) */
  const live = useRef<{ code: string; session: RecordingSession | null } | null>(null);
  const lastScan = useRef<{ code: string; at: number } | null>(null);
  const [view, setView] = useState<StationView>({
    phase: 'idle',
    code: null,
    session: null,
    marked: [],
    lastOrderId: null,
    lastSaved: null,
    saving: 0,
  });
  const optsRef = useRef(opts);
  optsRef.current = opts;

  const finish = useCallback((r: Recording) => {
    setView((v) => ({ ...v, saving: v.saving + 1 }));
    r.stop()
      .then((ev) => {
        setView((v) => ({
          ...v,
          lastSaved: { evidence: ev, orderNo: r.session?.orderNo ?? r.code },
          lastOrderId: ev.orderId,
        }));
        optsRef.current.onInfo('station.saved', { order: r.session?.orderNo ?? r.code });
        if (r.session) optsRef.current.onSaved?.(r.session.id);
      })
      .catch((e) =>
        optsRef.current.onError(e instanceof RecorderError ? e.error : { code: 'INTERNAL', message: String(e) }),
      )
      .finally(() => setView((v) => ({ ...v, saving: v.saving - 1 })));
  }, []);

  const stopCurrent = useCallback(() => {
    const r = rec.current;
    if (!r) return;
    rec.current = null;
    live.current = null;
    setView((v) => ({ ...v, phase: 'idle', code: null, session: null, marked: [] }));
    finish(r);
  }, [finish]);

  const start = useCallback(
    (code: string) => {
      const { settings } = optsRef.current;
      const bitrate = Math.round(settings.videoWidth * settings.videoHeight * settings.fps * 0.09);
      live.current = { code, session: null };
      optsRef.current.beforeStart?.();
      // the stream is taken after the redraw: its first frame must name this order
      const stream = optsRef.current.getStream();
      if (!stream) {
        live.current = null;
        return optsRef.current.onInfo('station.noCamera');
      }
      const r = new Recording(
        api,
        stream,
        code,
        settings.mode,
        (failed) => {
          if (rec.current === failed) stopCurrent();
          if (failed.failure) optsRef.current.onError(failed.failure);
        },
        bitrate,
      );
      rec.current = r;
      setView((v) => ({ ...v, phase: 'starting', code, session: null, marked: [] }));
      r.ready().then(
        (session) => {
          if (rec.current !== r) return;
          live.current = { code, session };
          setView((v) => ({ ...v, phase: 'recording', session, lastOrderId: session.orderId }));
        },
        (e) => {
          if (rec.current === r) {
            rec.current = null;
            live.current = null;
            setView((v) => ({ ...v, phase: 'idle', code: null, session: null }));
          }
          optsRef.current.onError(e instanceof RecorderError ? e.error : { code: 'INTERNAL', message: String(e) });
        },
      );
    },
    [api, stopCurrent],
  );

  /** recordings whose provisional order is linked (or being linked), with the code that linked it */
  const linked = useRef(new WeakMap<Recording, string>());
  const isSkuStarted = useCallback((r: Recording) => classifyCode(r.code, optsRef.current.settings) === 'sku', []);
  const link = useCallback(
    (r: Recording, code: string) => {
      linked.current.set(r, code);
      r.ready()
        .then((session) => api.call('capture.link', { recordingId: session.id, code }))
        .then((res) => {
          if (!res.ok) {
            linked.current.delete(r);
            return optsRef.current.onError(res.error);
          }
          r.session = res.value;
          if (rec.current === r) {
            // the overlay reads this on its next frame: from now on the video names the real order
            live.current = { code: r.code, session: res.value };
            setView((v) => ({ ...v, session: res.value, lastOrderId: res.value.orderId }));
          }
          optsRef.current.onInfo('station.linked', { order: res.value.orderNo });
        })
        .catch(() => linked.current.delete(r)); // a recording that failed to start already said why
    },
    [api],
  );

  const onScan = useCallback(
    (code: string) => {
      const now = performance.now();
      performance.mark('proofpack:scan', { detail: code });
      const prev = lastScan.current;
      lastScan.current = { code, at: now };
      if (prev && prev.code === code && now - prev.at < optsRef.current.settings.scanner.duplicateWindowMs) {
        optsRef.current.onInfo('station.duplicateIgnored', { code });
        return;
      }
      const current = rec.current;
      // a serial number / IMEI never starts or stops a recording, and is not the code a toggle restarts
      if (optsRef.current.onSerial && classifyCode(code, optsRef.current.settings) === 'serial') {
        lastScan.current = prev;
        return optsRef.current.onSerial(code, current);
      }
      // the same code again stops; after a link, so does the order or tracking number that linked it
      if (current && (current.code === code || linked.current.get(current) === code)) return stopCurrent();
      const kind = classifyCode(code, optsRef.current.settings);
      // SKU-first packing: while a SKU-started recording waits for its order, the first
      // order or tracking number links it and the recording goes on
      if (current && kind !== 'sku' && isSkuStarted(current) && !linked.current.has(current))
        return link(current, code);
      // another SKU while recording is an item packed: it never stops the recording
      if (current && kind === 'sku') {
        const { onItem, onInfo } = optsRef.current;
        return onItem ? onItem(code, current) : onInfo('station.itemScanned', { sku: code });
      }
      if (current) stopCurrent();
      start(code);
    },
    [start, stopCurrent, link, isSkuStarted],
  );

  const toggle = useCallback(() => {
    if (rec.current) return stopCurrent();
    const last = lastScan.current?.code;
    if (!last) return optsRef.current.onInfo('station.scanFirst');
    lastScan.current = { code: last, at: performance.now() };
    start(last);
  }, [start, stopCurrent]);

  const mark = useCallback((step?: string) => {
    const r = rec.current;
    // the guided steps belong to return unboxing; outbound packing has none to mark
    if (r && r.mode !== 'return') return optsRef.current.onInfo('station.stepsReturnOnly');
    if (!r) return optsRef.current.onInfo('station.markNeedsRecording');
    setView((v) => {
      const s = step ?? nextStep(v.marked);
      if (!s || v.marked.includes(s)) return v;
      void r.mark(s).then((res) => res.ok || optsRef.current.onError(res.error));
      return { ...v, marked: [...v.marked, s] };
    });
  }, []);

  // profile limits: save and continue in a new part just before a limit is reached
  useEffect(() => {
    const timer = setInterval(() => {
      const r = rec.current;
      if (!r || !r.session) return;
      if (guardDiskSpace(r, optsRef.current)) return stopCurrent();
      const { elapsedMs, bytes } = r.stats();
      const { maxVideoMs, maxVideoBytes } = optsRef.current.limits;
      if (elapsedMs >= maxVideoMs - 1500 || bytes >= maxVideoBytes * 0.97) {
        const code = r.code;
        stopCurrent();
        start(code);
        optsRef.current.onInfo('station.limitSplit');
      }
    }, 500);
    return () => clearInterval(timer);
  }, [start, stopCurrent]);

  useEffect(() => () => stopCurrent(), [stopCurrent]);

  /** the core stopped this recording's other views for idle auto-stop: save the page's too */
  const stopIdle = useCallback(
    (recordingId: string) => {
      const r = rec.current;
      if (!r) return;
      // the notice can come before capture.start's answer has named the recording here
      r.ready().then(
        (session) => session.id === recordingId && rec.current === r && stopCurrent(),
        () => undefined, // a recording that failed to start already said why
      );
    },
    [stopCurrent],
  );

  return {
    view,
    onScan,
    toggle,
    mark,
    /** save and stop the running recording (an interception) */
    stop: stopCurrent,
    stopIdle,
    stats: () => rec.current?.stats() ?? null,
    live: () => live.current,
  };
}
