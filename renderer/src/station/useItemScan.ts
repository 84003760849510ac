import { useCallback, useRef } from 'react';
import { useApi } from '../api/context';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';
import type { Recording } from './recorder';

/**
 * Items scanned while packing (SKU barcodes, told apart by the settings' skuPatterns in
 * useStation.onScan), checked against the order's items from the ERP: a wrong item is
 * an error at once, one too many a warning, and at the stop the items never scanned.
 */
export function useItemScan() {
  const api = useApi();
  const notify = useNotify();
  const { t } = useT();
  const ref = useRef({ notify, t });
  ref.current = { notify, t };

  const onItem = useCallback(
    (sku: string, recording: Recording) => {
      const atMs = Math.round(performance.now() - recording.startedAt);
      recording
        .ready()
        .then((session) => api.call('capture.item', { recordingId: session.id, sku, atMs }))
        .then((r) => {
          const { notify: n, t: tr } = ref.current;
          if (!r.ok) return n.error(r.error);
          const v = r.value;
          const params = { sku: v.sku, order: v.orderNo, scanned: v.scanned, ordered: v.ordered };
          if (v.result === 'wrong-item') n.show('error', tr('item.wrong', params));
          else if (v.result === 'too-many') n.show('warn', tr('item.tooMany', params));
          else if (v.result === 'ok') n.show('success', tr('item.ok', params));
          else n.show('info', tr('station.itemScanned', params));
        })
        .catch(() => undefined); // a recording that failed to start already said why
    },
    [api],
  );

  const onSaved = useCallback(
    (recordingId: string) => {
      void api.call('capture.missingItems', { recordingId }).then((r) => {
        const { notify: n, t: tr } = ref.current;
        if (!r.ok || !r.value.missing.length) return;
        const items = r.value.missing
          .map((m) => `${m.name ? `${m.name} ` : ''}${m.sku} ×${m.ordered - m.scanned}`)
          .join('、');
        n.show('warn', tr('item.missing', { order: r.value.orderNo, items }));
      });
    },
    [api],
  );

  return { onItem, onSaved };
}
