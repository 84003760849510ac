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
  const [refused, setRefused] = useState(false);
  return (
    <label>
      {label}
      <button
        type="button"
        className={listening ? 'listening' : ''}
        onClick={() => setListening(true)}
        onBlur={() => {
          setListening(false);
          setRefused(false);
        }}
        onKeyDown={(e) => {
          if (!listening) return;
          // Tab still moves on, so the form stays usable from the keyboard
          if (e.key === 'Tab') return setListening(false);
          e.preventDefault();
          e.stopPropagation();
          // a key that types a character (letters, digits, Enter, Space…) is part of
          // scanned codes: as a hotkey it would eat those characters and break scans
          if (e.key.length === 1 || e.key === 'Enter' || e.key === 'Backspace') {
            setRefused(true);
            return;
          }
          setRefused(false);
          if (e.code !== 'Escape') onChange(e.code);
          setListening(false);
        }}
      >
        {listening ? t('settings.pressKey') : <kbd>{value}</kbd>}
      </button>
      {refused && (
        <span className="error" role="alert" data-testid="hotkey-refused">
          {t('settings.keyTypesText')}
        </span>
      )}
    </label>
  );
}
