import net from 'node:net';

export interface SlowLink {
  /** where clients connect instead of the target */
  port: number;
  close(): Promise<void>;
}

/**
 * A real TCP hop between a client and a server on 127.0.0.1 that carries the client's
 * bytes at `bytesPerSecond` (answers pass at full speed), like a station on a busy LAN.
 * On loopback a 20 MB upload is over before anything can happen to it; through this, a
 * test can kill the server part way through. Either side closing closes the other.
 */
export function startSlowLink(targetPort: number, bytesPerSecond: number): Promise<SlowLink> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => undefined); // a cut connection is the point, not a failure here
    }
    client.on('data', (chunk: Buffer) => {
      client.pause();
      upstream.write(chunk);
      setTimeout(() => client.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}
