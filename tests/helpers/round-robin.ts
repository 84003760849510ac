import http from 'node:http';
import type net from 'node:net';

export interface RoundRobin {
  port: number;
  /** requests each backend answered, by its port */
  served: Map<number, number>;
  /** request body bytes passed to each backend so far, by its port */
  bodyBytes: Map<number, number>;
  close(): Promise<void>;
}

/**
 * A plain HTTP load balancer on 127.0.0.1, as a warehouse would put in front of two hub
 * processes: each request goes to the next backend in turn; a backend that refuses the
 * connection is skipped for that request (nginx's `proxy_next_upstream error`). Request
 * bodies are passed at `bytesPerSecond`, so a test can stop a backend part way through an
 * upload. Nothing about tus or the hub is known here.
 */
export function startRoundRobin(backends: number[], bytesPerSecond = Infinity): Promise<RoundRobin> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const rr: RoundRobin = {
    port: 0,
    served: new Map(backends.map((p) => [p, 0])),
    bodyBytes: new Map(backends.map((p) => [p, 0])),
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, tries: number) => {
    const port = backends[next++ % backends.length];
    const upstream = http.request({
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: false, // a connection per request: each one is balanced on its own
    });
    upstream.on('socket', (s) =>
      s.once('connect', () => {
        req.on('data', (chunk: Buffer) => {
          rr.bodyBytes.set(port, (rr.bodyBytes.get(port) ?? 0) + chunk.length);
          if (!upstream.write(chunk) || Number.isFinite(bytesPerSecond)) {
            req.pause();
            const wait = Number.isFinite(bytesPerSecond) ? (chunk.length / bytesPerSecond) * 1000 : 0;
            const resume = () => setTimeout(() => req.resume(), wait);
            if (upstream.writableNeedDrain) upstream.once('drain', resume);
            else resume();
          }
        });
        req.on('end', () => upstream.end());
        req.resume();
      }),
    );
    upstream.on('response', (answer) => {
      rr.served.set(port, (rr.served.get(port) ?? 0) + 1);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      // not reachable at all: the next backend takes the request (its body has not moved yet)
      if (e.code === 'ECONNREFUSED' && tries < backends.length) return forward(req, res, tries + 1);
      res.destroy(); // cut part way: the client sees the connection end, as behind a real one
    });
  };
  const server = http.createServer((req, res) => {
    req.pause();
    forward(req, res, 1);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      rr.port = (server.address() as net.AddressInfo).port;
      resolve(rr);
    });
  });
}
