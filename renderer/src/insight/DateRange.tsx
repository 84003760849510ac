import { addDays, isDay, today } from '../../../shared/domain/insight/days';
import { useT } from '../i18n';

export interface DayRange {
  fromDay: string;
  toDay: string;
}

/** From/to local days with the usual shortcuts; an invalid or reversed range is never emitted. */
export function DateRange({ value, onChange }: { value: DayRange; onChange: (r: DayRange) => void }) {
  const { t } = useT();
  const set = (r: DayRange) => isDay(r.fromDay) && isDay(r.toDay) && r.fromDay <= r.toDay && onChange(r);
  const d = today();
  return (
    <div className="ins-range" data-testid="date-range">
      <label>
        {t('coverage.from')}{' '}
        <input
          type="date"
          value={value.fromDay}
          max={value.toDay}
          onChange={(e) => set({ ...value, fromDay: e.target.value })}
          data-testid="range-from"
        />
      </label>
      <label>
        {t('coverage.to')}{' '}
        <input
          type="date"
          value={value.toDay}
          min={value.fromDay}
          onChange={(e) => set({ ...value, toDay: e.target.value })}
          data-testid="range-to"
        />
      </label>
      <button onClick={() => set({ fromDay: d, toDay: d })}>{t('coverage.today')}</button>
      <button onClick={() => set({ fromDay: addDays(d, -1), toDay: addDays(d, -1) })}>{t('coverage.yesterday')}</button>
      <button onClick={() => set({ fromDay: addDays(d, -6), toDay: d })}>{t('coverage.last7')}</button>
      <button onClick={() => set({ fromDay: addDays(d, -29), toDay: d })}>{t('coverage.last30')}</button>
    </div>
  );
}
