import { RETURN_STEPS, nextStep } from '../../../shared/domain/return-steps';
import { useT } from '../i18n';

/** Guided unboxing steps; the mark key marks the next one, a click marks any. */
export function ReturnChecklist({
  marked,
  recording,
  onMark,
  markKey,
}: {
  marked: string[];
  recording: boolean;
  onMark: (step: string) => void;
  markKey: string;
}) {
  const { t } = useT();
  const next = nextStep(marked);
  return (
    <ol className="checklist" data-testid="return-steps">
      {RETURN_STEPS.map((s) => (
        <li key={s} className={marked.includes(s) ? 'done' : s === next ? 'next' : ''}>
          <button disabled={!recording || marked.includes(s)} onClick={() => onMark(s)}>
            {marked.includes(s) ? '✔ ' : ''}
            {t(`step.${s}`)}
            {s === next && recording ? <kbd>{markKey}</kbd> : null}
          </button>
        </li>
      ))}
    </ol>
  );
}
