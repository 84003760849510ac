import { formatGrams, type ScaleState } from '../../../shared/domain/scale/weights';
import { useT } from '../i18n';

/** The current weight on the station screen, with stable/unstable and the port's status. */
export function ScaleCard({ scale }: { scale: ScaleState }) {
  const { t } = useT();
  if (scale.connection === 'off') return null;
  const reading = scale.connection === 'connected' && scale.grams != null;
  return (
    <div className={`scale-card ${scale.connection}`} data-testid="scale" data-connection={scale.connection}>
      <div className="status-label">
        {t('scale.title')} · {t(`scale.connection.${scale.connection}`)}
      </div>
      {reading ? (
        <div className={`scale-weight ${scale.stable ? 'stable' : 'unstable'}`} data-testid="scale-weight">
          {formatGrams(scale.grams!)} <small>{t(scale.stable ? 'scale.stable' : 'scale.unstable')}</small>
        </div>
      ) : (
        <div className="muted">{t('scale.noReading')}</div>
      )}
      {scale.connection === 'lost' && scale.error && (
        <div className="muted">{t('scale.lostDetail', { detail: scale.error })}</div>
      )}
      {scale.badFrames > 0 && <div className="muted">{t('scale.badFrames', { count: scale.badFrames })}</div>}
    </div>
  );
}
