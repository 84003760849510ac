import { useRef } from 'react';
import type { CameraPartView } from '../../../shared/api/calls/cameras';
import type { Id } from '../../../shared/domain/id';
import type { Evidence } from '../../../shared/domain/types';
import { useApi, useQuery } from '../api/context';
import { formatDateTime, useT } from '../i18n';

interface View {
  key: string;
  label: string;
  evidence: Evidence;
  /** seconds of title card before the footage (network cameras' saved clips) */
  leadS: number;
}

/** videos drifting more than this from the first view are put back in step */
const MAX_DRIFT_S = 0.2;

/**
 * The views of each scan side by side (webcam + network cameras), played in step: each
 * video is placed on the shared clock by its capture start time, so a camera file that
 * began at the keyframe before the scan lines up with the webcam's (its title card is
 * played before that start). Gaps where a camera dropped are listed with their length.
 */
export function SyncedViews({ orderId, evidence }: { orderId: Id; evidence: Evidence[] }) {
  const { t, lang } = useT();
  const parts = useQuery('cameras.parts', { orderId }, [orderId], ['evidence.changed']);
  if (!parts.data || parts.data.length === 0) return null;
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const takes = new Map<string, CameraPartView[]>();
  for (const p of parts.data) takes.set(p.takeId, [...(takes.get(p.takeId) ?? []), p]);
  return (
    <section className="synced-views" data-testid="synced-views">
      <h3>{t('order.cameras.title')}</h3>
      {[...takes.entries()].map(([takeId, ps]) => {
        const views: View[] = [];
        const webcam = ps[0].takeEvidenceId != null ? byId.get(ps[0].takeEvidenceId) : undefined;
        if (webcam) views.push({ key: 'webcam', label: t('kind.video'), evidence: webcam, leadS: 0 });
        for (const p of ps) {
          const e = p.evidenceId != null ? byId.get(p.evidenceId) : undefined;
          if (e)
            views.push({
              key: p.recordingId,
              label: `${p.cameraName} #${p.partNo}`,
              evidence: e,
              leadS: (p.cardMs ?? 0) / 1000,
            });
        }
        const gaps = ps.filter((p) => p.gapMs != null && p.partNo > 1);
        return (
          <div key={takeId} className="take">
            <p className="muted">{views[0] && formatDateTime(views[0].evidence.capturedAt, lang)}</p>
            <SideBySide views={views} />
            {gaps.map((g) => (
              <p key={g.recordingId} className="warn" data-testid="camera-gap">
                {t('order.cameras.gap', { camera: g.cameraName, seconds: ((g.gapMs ?? 0) / 1000).toFixed(1) })}
              </p>
            ))}
          </div>
        );
      })}
    </section>
  );
}

function SideBySide({ views }: { views: View[] }) {
  const { t } = useT();
  const api = useApi();
  const refs = useRef<(HTMLVideoElement | null)[]>([]);
  /** where each file's 0 s is on the wall clock: its capture start, less its title card */
  const fileStart = (v: View) => Date.parse(v.evidence.capturedAt) - v.leadS * 1000;
  const t0 = Math.min(...views.map(fileStart));
  const offset = (i: number) => (fileStart(views[i]) - t0) / 1000;
  /** the shared clock: seconds since the earliest view started */
  const clock = () => {
    const first = refs.current[0];
    return first ? first.currentTime + offset(0) : 0;
  };
  const align = () => {
    const now = clock();
    refs.current.forEach((v, i) => {
      if (!v || i === 0) return;
      const want = now - offset(i);
      if (want < 0 || (v.duration && want > v.duration)) return v.pause();
      if (Math.abs(v.currentTime - want) > MAX_DRIFT_S) v.currentTime = want;
      if (refs.current[0]?.paused === false && v.paused) void v.play();
    });
  };
  const play = () => {
    refs.current[0]?.play().catch(() => undefined);
    align();
  };
  const pause = () => refs.current.forEach((v) => v?.pause());
  return (
    <div>
      <div className="side-by-side">
        {views.map((v, i) => (
          <figure key={v.key}>
            <video
              ref={(el) => {
                refs.current[i] = el;
              }}
              src={api.mediaUrl(v.evidence.path)}
              preload="metadata"
              muted
              onTimeUpdate={i === 0 ? align : undefined}
              onSeeked={i === 0 ? align : undefined}
              controls={i === 0}
              data-testid="synced-video"
            />
            <figcaption>{v.label}</figcaption>
          </figure>
        ))}
      </div>
      <button onClick={play} data-testid="synced-play">
        {t('order.cameras.play')}
      </button>
      <button onClick={pause}>{t('order.cameras.pause')}</button>
    </div>
  );
}
