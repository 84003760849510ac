import { useState } from 'react';
import { SCALE_FRAME_FORMATS } from '../../../shared/domain/scale/frames';
import type { ScaleSettings as Scale } from '../../../shared/domain/scale/scale-settings';
import { useApi } from '../api/context';
import { useT } from '../i18n';

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

/** The scale's serial port and frame format, and the packed-vs-return tolerance. */
export function ScaleSettings({ value, onChange }: { value: Scale; onChange: (v: Scale) => void }) {
  const { t } = useT();
  const api = useApi();
  const [ports, setPorts] = useState<{ path: string; label: string }[] | null>(null);
  const set = <K extends keyof Scale>(k: K, v: Scale[K]) => onChange({ ...value, [k]: v });
  const findPorts = async () => {
    const r = await api.call('scale.ports', {});
    setPorts(r.ok ? r.value : []);
  };
  return (
    <fieldset data-testid="scale-settings">
      <legend>{t('scale.settings.legend')}</legend>
      <p className="muted">{t('scale.settings.hint')}</p>
      <label>
        {t('scale.settings.port')}
        <input
          list="scale-ports"
          value={value.port}
          maxLength={256}
          placeholder={t('scale.settings.portPlaceholder')}
          onChange={(e) => set('port', e.target.value.trim())}
          data-testid="scale-port"
        />
        <datalist id="scale-ports">
          {ports?.map((p) => (
            <option key={p.path} value={p.path}>
              {p.label}
            </option>
          ))}
        </datalist>
        <button type="button" onClick={() => void findPorts()}>
          {t('scale.settings.refreshPorts')}
        </button>
        {ports?.length === 0 && <span className="muted">{t('scale.settings.noPorts')}</span>}
      </label>
      <label>
        {t('scale.settings.baudRate')}
        <select value={value.baudRate} onChange={(e) => set('baudRate', Number(e.target.value))}>
          {BAUD_RATES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('scale.settings.dataBits')}
        <select value={value.dataBits} onChange={(e) => set('dataBits', Number(e.target.value) as 7 | 8)}>
          <option value={8}>8</option>
          <option value={7}>7</option>
        </select>
      </label>
      <label>
        {t('scale.settings.parity')}
        <select value={value.parity} onChange={(e) => set('parity', e.target.value as Scale['parity'])}>
          {(['none', 'even', 'odd'] as const).map((p) => (
            <option key={p} value={p}>
              {t(`scale.settings.parity.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('scale.settings.stopBits')}
        <select value={value.stopBits} onChange={(e) => set('stopBits', Number(e.target.value) as 1 | 2)}>
          <option value={1}>1</option>
          <option value={2}>2</option>
        </select>
      </label>
      <label>
        {t('scale.settings.format')}
        <select value={value.format} onChange={(e) => set('format', e.target.value as Scale['format'])}>
          {SCALE_FRAME_FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(`scale.settings.format.${f}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('scale.settings.yaohuaUnit')}
        <select value={value.yaohuaUnit} onChange={(e) => set('yaohuaUnit', e.target.value as Scale['yaohuaUnit'])}>
          {(['kg', 'g', 'lb'] as const).map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('scale.settings.toleranceGrams')}
        <input
          type="number"
          min={0}
          max={100000}
          value={value.toleranceGrams}
          onChange={(e) => set('toleranceGrams', Number(e.target.value))}
        />
      </label>
      <label>
        {t('scale.settings.tolerancePercent')}
        <input
          type="number"
          min={0}
          max={100}
          step={0.5}
          value={value.tolerancePercent}
          onChange={(e) => set('tolerancePercent', Number(e.target.value))}
        />
      </label>
    </fieldset>
  );
}
