import { formatLocalTime, formatSpan } from '../../../shared/domain/cases';
import { useT } from '../i18n';

/** Time left until a deadline (or how long ago it passed), coloured by urgency. */
export function Countdown({ dueAt, now, alertHours }: { dueAt: string | null; now: number; alertHours: number }) {
  const { t, lang } = useT();
  if (!dueAt) return <span className="muted">{t('cases.noDeadline')}</span>;
  const left = Date.parse(dueAt) - now;
  const level = left <= 0 ? 'missed' : left <= alertHours * 3_600_000 ? 'near' : 'ok';
  return (
    <span
      className={`countdown countdown-${level}`}
      title={formatLocalTime(dueAt)}
      data-testid="countdown"
      data-level={level}
    >
      {left <= 0
        ? t('cases.overdueBy', { span: formatSpan(left, lang) })
        : t('cases.left', { span: formatSpan(left, lang) })}
    </span>
  );
}

/** A deadline as the clerk reads it: local time, plus the countdown. */
export function Deadline({
  label,
  dueAt,
  now,
  alertHours,
}: {
  label: string;
  dueAt: string | null;
  now: number;
  alertHours: number;
}) {
  if (!dueAt) return null;
  return (
    <div className="deadline">
      <span className="muted">{label}</span> <span>{formatLocalTime(dueAt, { seconds: false })}</span>{' '}
      <Countdown dueAt={dueAt} now={now} alertHours={alertHours} />
    </div>
  );
}
