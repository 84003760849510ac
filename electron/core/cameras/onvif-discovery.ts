import { Discovery } from 'onvif';
import type { DiscoveredCamera } from '../../../shared/api/calls/cameras';

/**
 * ONVIF cameras and NVRs on the LAN (WS-Discovery, by the maintained `onvif` package):
 * each answers with its service address(es) and scopes (name, hardware). The stream
 * address itself needs the device's password, so the user picks a device and types it.
 */
export function discoverOnvif(timeoutMs = 3000): Promise<DiscoveredCamera[]> {
  return new Promise((resolve, reject) => {
    Discovery.probe({ timeout: timeoutMs, resolve: false }, (err, found) => {
      if (err && !found) return reject(err);
      resolve((found ?? []).map(toDiscovered).filter((d): d is DiscoveredCamera => d !== null));
    });
  });
}

interface ProbeMatch {
  probeMatches?: { probeMatch?: { XAddrs?: string; scopes?: string; endpointReference?: { address?: string } } };
}

export function toDiscovered(raw: unknown): DiscoveredCamera | null {
  const m = (raw as ProbeMatch).probeMatches?.probeMatch;
  const xaddrs = (m?.XAddrs ?? '').split(/\s+/).filter(Boolean);
  if (xaddrs.length === 0) return null;
  let host: string;
  try {
    host = new URL(xaddrs[0]).hostname;
  } catch {
    return null;
  }
  const scopes = (typeof m?.scopes === 'string' ? m.scopes : '').split(/\s+/);
  const scope = (key: string) => {
    const s = scopes.find((x) => x.startsWith(`onvif://www.onvif.org/${key}/`));
    return s ? decodeURIComponent(s.slice(`onvif://www.onvif.org/${key}/`.length)) : null;
  };
  return {
    id: m?.endpointReference?.address ?? xaddrs[0],
    host,
    name: scope('name'),
    hardware: scope('hardware'),
    serviceUrls: xaddrs,
  };
}
