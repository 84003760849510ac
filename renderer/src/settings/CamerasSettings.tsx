import { useEffect, useState } from 'react';
import type { CameraInfo } from '../../../shared/domain/camera';
import type { CallInput } from '../../../shared/api/contract';
import type { DiscoveredCamera } from '../../../shared/api/calls/cameras';
import { useApi, useQuery } from '../api/context';
import { describeError } from '../api/errors';
import { useNotify } from '../components/Notices';
import { useT } from '../i18n';

type AddInput = CallInput<'cameras.add'>;

/** Settings → Cameras: the station's network cameras, a live preview, a test, idle auto-stop. */
export function CamerasSettings() {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const list = useQuery('cameras.list', {}, []);
  const [idle, setIdle] = useState<number | null>(null);
  useEffect(() => {
    if (list.data) setIdle(list.data.idleStopMinutes);
  }, [list.data]);
  // the connection state changes on its own (drops, reconnects): look again every few seconds
  useEffect(() => {
    const timer = setInterval(() => list.reload(), 3000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const fail = (e: Parameters<typeof describeError>[1]) => notify.show('error', describeError(t, e));
  const remove = async (id: string) => {
    const r = await api.call('cameras.remove', { id });
    if (r.ok) list.reload();
    else fail(r.error);
  };
  const saveIdle = async () => {
    if (idle == null) return;
    const r = await api.call('cameras.setIdleStop', { minutes: idle });
    if (r.ok) notify.show('success', t('common.saved'));
    else fail(r.error);
  };
  return (
    <fieldset data-testid="cameras-settings">
      <legend>{t('settings.cameras.title')}</legend>
      <p className="muted">{t('settings.cameras.intro')}</p>
      {list.data?.cameras.length === 0 && <p className="muted">{t('settings.cameras.none')}</p>}
      {list.data?.cameras.map((c) => (
        <CameraRow
          key={c.id}
          camera={c}
          state={list.data?.live.find((l) => l.cameraId === c.id)?.state ?? 'stopped'}
          onRemove={() => void remove(c.id)}
        />
      ))}
      {(list.data?.cameras.length ?? 0) < 2 && <AddCamera onAdded={() => list.reload()} />}
      <label>
        {t('settings.cameras.idleStop')}
        <input
          type="number"
          min={1}
          max={1440}
          value={idle ?? ''}
          onChange={(e) => setIdle(Number(e.target.value))}
          data-testid="idle-stop-minutes"
        />
      </label>
      <button onClick={() => void saveIdle()} data-testid="idle-stop-save">
        {t('settings.cameras.save')}
      </button>
    </fieldset>
  );
}

function CameraRow({ camera, state, onRemove }: { camera: CameraInfo; state: string; onRemove: () => void }) {
  const { t } = useT();
  const api = useApi();
  const [preview, setPreview] = useState<string | null>(null);
  const [test, setTest] = useState<string | null>(null);
  // live preview: the camera's latest keyframe, fetched once a second while shown
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const r = await api.call('cameras.snapshot', { id: camera.id });
      if (alive) setPreview(r.ok ? r.value.dataUrl : null);
    };
    void load();
    const timer = setInterval(() => void load(), 1000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [api, camera.id]);
  const runTest = async () => {
    setTest('…');
    const r = await api.call('cameras.test', { id: camera.id });
    if (!r.ok) return setTest(describeError(t, r.error));
    const v = r.value;
    setTest(
      v.ok
        ? t('settings.cameras.testOk', {
            codec: v.codec,
            width: v.width,
            height: v.height,
            copy: t(v.streamCopy ? 'settings.cameras.copy' : 'settings.cameras.encode'),
          })
        : t('settings.cameras.testFailed', { error: v.error }),
    );
  };
  return (
    <div className="camera-row" data-testid="camera-row">
      {preview ? (
        <img className="camera-preview" src={preview} alt="" data-testid="camera-preview" />
      ) : (
        <div className="camera-preview" />
      )}
      <div>
        <strong>{camera.name}</strong> · {t(`settings.cameras.role.${camera.role}`)} ·{' '}
        <span className={`pill pill-${state === 'live' ? 'ok' : 'warn'}`}>{t(`settings.cameras.state.${state}`)}</span>
        <div className="mono">{camera.url}</div>
        <button onClick={() => void runTest()} data-testid="camera-test">
          {t('settings.cameras.test')}
        </button>
        <button onClick={onRemove}>{t('settings.cameras.remove')}</button>
        {test && <p data-testid="camera-test-result">{test}</p>}
      </div>
    </div>
  );
}

function AddCamera({ onAdded }: { onAdded: () => void }) {
  const { t } = useT();
  const api = useApi();
  const notify = useNotify();
  const [source, setSource] = useState<'url' | 'nvr'>('url');
  const [url, setUrl] = useState('');
  const [nvr, setNvr] = useState({
    brand: 'hikvision' as 'hikvision' | 'dahua',
    host: '',
    channel: 1,
    stream: 'main' as 'main' | 'sub',
  });
  const [name, setName] = useState('');
  const [role, setRole] = useState<'' | 'main' | 'closeup'>('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [found, setFound] = useState<DiscoveredCamera[] | null>(null);
  const discover = async () => {
    setFound(null);
    const r = await api.call('cameras.discover', {});
    if (!r.ok) return notify.show('error', describeError(t, r.error));
    setFound(r.value);
  };
  const use = (d: DiscoveredCamera) => {
    setSource('nvr');
    setNvr({ ...nvr, host: d.host });
    if (d.name) setName(d.name.slice(0, 64));
  };
  const add = async () => {
    const input: AddInput = {
      ...(source === 'url' ? { url } : { nvr }),
      ...(name ? { name } : {}),
      ...(role ? { role } : {}),
      ...(username ? { username, password } : {}),
    };
    const r = await api.call('cameras.add', input);
    if (!r.ok) return notify.show('error', describeError(t, r.error));
    setUrl('');
    setPassword('');
    onAdded();
  };
  return (
    <div className="camera-add">
      <button onClick={() => void discover()} data-testid="camera-discover">
        {t('settings.cameras.discover')}
      </button>
      {found?.length === 0 && <p className="muted">{t('settings.cameras.discoverNone')}</p>}
      {found && found.length > 0 && (
        <ul>
          {found.map((d) => (
            <li key={d.id}>
              {d.name ?? d.host} ({d.host}
              {d.hardware ? `, ${d.hardware}` : ''}) <button onClick={() => use(d)}>{t('settings.cameras.use')}</button>
            </li>
          ))}
        </ul>
      )}
      <label>
        {t('settings.cameras.source')}
        <select value={source} onChange={(e) => setSource(e.target.value as 'url' | 'nvr')}>
          <option value="url">{t('settings.cameras.source.url')}</option>
          <option value="nvr">{t('settings.cameras.source.nvr')}</option>
        </select>
      </label>
      {source === 'url' ? (
        <label>
          {t('settings.cameras.url')}
          <input
            value={url}
            placeholder="rtsp://192.168.1.64:554/Streaming/Channels/101"
            onChange={(e) => setUrl(e.target.value)}
            data-testid="camera-url"
          />
        </label>
      ) : (
        <>
          <label>
            {t('settings.cameras.brand')}
            <select
              value={nvr.brand}
              onChange={(e) => setNvr({ ...nvr, brand: e.target.value as 'hikvision' | 'dahua' })}
            >
              <option value="hikvision">Hikvision</option>
              <option value="dahua">Dahua</option>
            </select>
          </label>
          <label>
            {t('settings.cameras.host')}
            <input value={nvr.host} onChange={(e) => setNvr({ ...nvr, host: e.target.value })} />
          </label>
          <label>
            {t('settings.cameras.channel')}
            <input
              type="number"
              min={1}
              max={256}
              value={nvr.channel}
              onChange={(e) => setNvr({ ...nvr, channel: Number(e.target.value) })}
            />
          </label>
          <label>
            {t('settings.cameras.stream')}
            <select value={nvr.stream} onChange={(e) => setNvr({ ...nvr, stream: e.target.value as 'main' | 'sub' })}>
              <option value="main">{t('settings.cameras.stream.main')}</option>
              <option value="sub">{t('settings.cameras.stream.sub')}</option>
            </select>
          </label>
        </>
      )}
      <label>
        {t('settings.cameras.name')}
        <input value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('settings.cameras.role')}
        <select value={role} onChange={(e) => setRole(e.target.value as '' | 'main' | 'closeup')}>
          <option value="">—</option>
          <option value="main">{t('settings.cameras.role.main')}</option>
          <option value="closeup">{t('settings.cameras.role.closeup')}</option>
        </select>
      </label>
      <label>
        {t('settings.cameras.username')}
        <input value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('settings.cameras.password')}
        <input
          type="password"
          value={password}
          autoComplete="new-password"
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button className="primary" onClick={() => void add()} data-testid="camera-add">
        {t('settings.cameras.add')}
      </button>
    </div>
  );
}
