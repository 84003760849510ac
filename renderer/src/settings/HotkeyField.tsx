import { useState } from 'react';
import { useT } from '../i18n';

/** Press the key (or the pedal) to assign it; stored as KeyboardEvent.code. */
export function HotkeyField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
}) {
  const { t } = useT();
  const [listening, setListening] = useState(false);
  return (
    <label>
      {label}
      <button
        type="button"
        className={listening ? 'listening' : ''}
        onClick={() => setListening(true)}
        onBlur={() => setListening(false)}
        onKeyDown={(e) => {
          if (!listening) return;
          e.preventDefault();
          e.stopPropagation();
          if (e.code !== 'Escape') onChange(e.code);
          setListening(false);
        }}
      >
        {listening ? t('settings.pressKey') : <kbd>{value}</kbd>}
      </button>
    </label>
  );
}
