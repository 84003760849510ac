import { useState } from 'react';
import { useT } from '../i18n';

/** http(s) with a host, and a path ending in / (the staff app is at the hub's root); null: not an address */
export function staffAppAddress(raw: string): string | null {
  const text = raw.trim();
  if (!text) return null;
  let u: URL;
  try {
    u = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return null;
  return `${u.origin}/`;
}

/**
 * Settings → Warehouse hub, for an office PC that records nothing: open a hub's staff app
 * by its address, without pairing (staff sign in with their own account). In the desktop
 * app it opens in an app window (plain http on the LAN, or the paired hub), elsewhere in a
 * browser tab.
 */
export function StaffHubConnect() {
  const { t } = useT();
  const [address, setAddress] = useState('');
  const target = staffAppAddress(address);
  return (
    <form
      data-testid="staff-hub-connect"
      onSubmit={(e) => {
        e.preventDefault();
        if (target) window.open(target, '_blank', 'noopener');
      }}
    >
      <p className="muted">{t('settings.hub.connectHelp')}</p>
      <label>
        {t('settings.hub.connectUrl')}
        <input
          data-testid="staff-hub-url"
          value={address}
          placeholder="http://192.168.1.10:4870/"
          onChange={(e) => setAddress(e.target.value)}
        />
      </label>
      <button type="submit" disabled={!target} data-testid="staff-hub-open">
        {t('settings.hub.connectOpen')}
      </button>
      {address.trim() && !target && <span className="error"> {t('settings.hub.connectBad')}</span>}
    </form>
  );
}
