import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverOnvif } from '../../electron/core/cameras/onvif-discovery';

/** A device answering WS-Discovery probes as ONVIF cameras and NVRs do (multicast 239.255.255.250:3702). */
function fakeOnvifDevice(name: string, xaddr: string) {
  const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  sock.on('message', (_msg, rinfo) => {
    const reply =
      '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" ' +
      'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">' +
      '<SOAP-ENV:Header><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>' +
      '<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:5a1e-0001</wsa:Address>' +
      '</wsa:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>' +
      `<d:Scopes>onvif://www.onvif.org/name/${encodeURIComponent(name)} onvif://www.onvif.org/hardware/DS-7608NI</d:Scopes>` +
      `<d:XAddrs>${xaddr}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches>` +
      '</SOAP-ENV:Body></SOAP-ENV:Envelope>';
    sock.send(reply, rinfo.port, rinfo.address);
  });
  const ready = new Promise<void>((resolve) =>
    sock.bind(3702, () => {
      sock.addMembership('239.255.255.250');
      resolve();
    }),
  );
  return { ready, close: () => sock.close() };
}

let device: ReturnType<typeof fakeOnvifDevice> | null = null;
afterEach(() => {
  device?.close();
  device = null;
});

describe('ONVIF discovery', () => {
  it('lists the devices that answer a WS-Discovery probe, with their name and address', async () => {
    device = fakeOnvifDevice('Packing NVR', 'http://127.0.0.1:8080/onvif/device_service');
    await device.ready;
    const found = await discoverOnvif(1500);
    expect(found).toContainEqual({
      id: 'urn:uuid:5a1e-0001',
      host: '127.0.0.1',
      name: 'Packing NVR',
      hardware: 'DS-7608NI',
      serviceUrls: ['http://127.0.0.1:8080/onvif/device_service'],
    });
  });
});
