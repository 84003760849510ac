import { useRef } from 'react';
import type { StaffFile } from '../../../shared/hub/hub-file';
import { formatDateTime, useT } from '../i18n';
import { useStaff } from './staff-context';

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
export const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * One file from any station: a video with its poster and the marks its packer set (a mark
 * seeks there: the player fetches only that range), a photo as a thumbnail that opens the
 * original, and when, where, who and the SHA-256.
 */
export function StaffFileCard({ file: f }: { file: StaffFile }) {
  const { t, lang } = useT();
  const { client } = useStaff();
  const video = useRef<HTMLVideoElement>(null);
  const src = client.mediaUrl(f.stationId, f.evidenceId);
  const thumb = client.thumbUrl(f.stationId, f.evidenceId);
  const stepName = (step: string) => (t(`step.${step}`) === `step.${step}` ? step : t(`step.${step}`));
  const seek = (ms: number) => {
    const v = video.current;
    if (!v) return;
    v.currentTime = ms / 1000;
    void v.play().catch(() => undefined); // autoplay refused: the frame is shown, the viewer presses play
  };
  return (
    <article className="staff-file" data-testid="staff-file">
      {f.kind === 'video' ? (
        <video ref={video} controls playsInline preload="metadata" poster={thumb} src={src} data-testid="staff-video" />
      ) : f.kind === 'photo' ? (
        <a href={src} target="_blank" rel="noreferrer">
          <img src={thumb} alt={f.fileName} data-testid="staff-thumb" />
        </a>
      ) : null}
      {f.chapters.length > 0 && (
        <ol className="staff-marks" aria-label={t('staff.file.marks')} data-testid="staff-marks">
          {f.chapters.map((c) => (
            <li key={`${c.step}-${c.atMs}`}>
              <button type="button" onClick={() => seek(c.atMs)}>
                {clock(c.atMs)} {stepName(c.step)}
              </button>
            </li>
          ))}
        </ol>
      )}
      <dl>
        <dt>{t('staff.file.captured')}</dt>
        <dd>{formatDateTime(f.capturedAt, lang)}</dd>
        <dt>{t('staff.file.station')}</dt>
        <dd>{f.stationName}</dd>
        {f.operator && (
          <>
            <dt>{t('staff.file.operator')}</dt>
            <dd>{f.operator}</dd>
          </>
        )}
        {f.durationMs ? (
          <>
            <dt>{t('staff.file.duration')}</dt>
            <dd>{clock(f.durationMs)}</dd>
          </>
        ) : null}
        <dt>{t('staff.file.size')}</dt>
        <dd>{mb(f.bytes)}</dd>
        <dt>SHA-256</dt>
        <dd className="hash">{f.sha256}</dd>
      </dl>
      <a href={client.mediaUrl(f.stationId, f.evidenceId, true)} download>
        {t('staff.file.download')}
      </a>
    </article>
  );
}
