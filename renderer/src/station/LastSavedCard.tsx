import type { Evidence } from '../../../shared/domain/types';
import { useQuery } from '../api/context';
import { CheckSummary } from '../checks/FindingsPanel';
import { formatBytes, formatDuration, useT } from '../i18n';

/** The file just saved and its check result (green / amber / red with the reason), at a glance. */
export function LastSavedCard({
  evidence,
  orderNo,
  onOpen,
}: {
  evidence: Evidence;
  orderNo: string;
  onOpen: () => void;
}) {
  const { t } = useT();
  const { data } = useQuery('checks.forEvidence', { evidenceId: evidence.id }, [evidence.id], ['evidence.changed']);
  return (
    <button className={`last-saved check-${data?.state ?? 'pending'}`} onClick={onOpen} data-testid="last-saved">
      <div className="muted">{t('station.lastSaved')}</div>
      <div className="order-no">{orderNo}</div>
      <div>
        {t(`kind.${evidence.kind}`)} · {evidence.durationMs != null ? formatDuration(evidence.durationMs) : ''} ·{' '}
        {formatBytes(evidence.bytes)}
      </div>
      <CheckSummary check={data ?? null} />
    </button>
  );
}
