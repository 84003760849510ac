import { useEffect, useState } from 'react';
import { formatBytes, formatDuration, useT } from '../i18n';
import type { LiveStats } from './recorder';
import type { StationLimits } from './useStation';

/** Duration and size of the running recording against the profile's limits. */
export function LiveMeters({
  stats,
  limits,
  warnAt,
  recording,
}: {
  stats: () => LiveStats | null;
  limits: StationLimits;
  warnAt: number;
  recording: boolean;
}) {
  const { t } = useT();
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => setTick((x) => x + 1), 250);
    return () => clearInterval(timer);
  }, [recording]);
  const s = stats() ?? { elapsedMs: 0, bytes: 0 };
  return (
    <div className="meters" data-testid="meters">
      <Meter
        id="duration"
        label={t('station.meter.duration')}
        value={s.elapsedMs}
        max={limits.maxVideoMs}
        warnAt={warnAt}
        text={`${formatDuration(s.elapsedMs)} / ${formatDuration(limits.maxVideoMs)}`}
      />
      <Meter
        id="size"
        label={t('station.meter.size')}
        value={s.bytes}
        max={limits.maxVideoBytes}
        warnAt={warnAt}
        text={`${formatBytes(s.bytes)} / ${formatBytes(limits.maxVideoBytes)}`}
      />
    </div>
  );
}

function Meter({
  id,
  label,
  value,
  max,
  warnAt,
  text,
}: {
  id: string;
  label: string;
  value: number;
  max: number;
  warnAt: number;
  text: string;
}) {
  const ratio = Math.min(1, value / max);
  const level = ratio >= 0.95 ? 'red' : ratio >= warnAt ? 'amber' : 'green';
  return (
    <div className={`meter meter-${level}`} data-testid={`meter-${id}`} data-value={Math.round(value)}>
      <div className="meter-head">
        <span>{label}</span>
        <span>{text}</span>
      </div>
      <div className="meter-bar">
        <div style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
