import http from 'node:http';
import type net from 'node:net';

/** How the hop treats the next request: pass it on, answer it with an error, or pass it on late. */
export type HopMode = { kind: 'pass' } | { kind: 'fail'; status: number } | { kind: 'slow'; delayMs: number };

export interface FaultyHop {
  /** where clients connect instead of the target, e.g. http://127.0.0.1:PORT */
  endpoint: string;
  mode: HopMode;
  /** every request seen, in order (method and path with query), to see what a client did */
  seen: { method: string; url: string; answered: number }[];
  /** called before each request is handled: a test can change `mode` at a chosen call */
  onRequest?: (req: http.IncomingMessage) => void;
  close(): Promise<void>;
}

const S3_ERROR = (status: number) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${status === 503 ? 'SlowDown' : 'InternalError'}</Code>` +
  `<Message>We encountered an internal error. Please try again.</Message></Error>`;

/**
 * A real HTTP hop on 127.0.0.1 in front of a server (an S3-compatible store here) that a
 * test can turn bad while a client uses it: every request answered with 500 (S3's
 * InternalError body, what a store under trouble sends), or passed on after a delay.
 * Bodies stream through untouched in 'pass' and 'slow'.
 */
export function startFaultyHop(targetPort: number): Promise<FaultyHop> {
  const sockets = new Set<net.Socket>();
  // requests passed on to the store: one left half-sent would keep the store's server from closing
  const upstreams = new Set<http.ClientRequest>();
  const hop: FaultyHop = {
    endpoint: '',
    mode: { kind: 'pass' },
    seen: [],
    close: () =>
      new Promise<void>((done) => {
        for (const u of upstreams) u.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
  const server = http.createServer((req, res) => {
    hop.onRequest?.(req);
    const mode = hop.mode;
    const entry = { method: req.method ?? '', url: req.url ?? '', answered: 0 };
    hop.seen.push(entry);
    if (mode.kind === 'fail') {
      entry.answered = mode.status;
      req.resume(); // read and drop what the client sends, as a store that gave up would
      req.once('end', () =>
        res.writeHead(mode.status, { 'content-type': 'application/xml' }).end(S3_ERROR(mode.status)),
      );
      return;
    }
    const forward = () => {
      const upstream = http.request(
        { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          entry.answered = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstreams.add(upstream);
      upstream.once('close', () => upstreams.delete(upstream));
      upstream.on('error', () => res.destroy());
      // the client gone mid-request (a station aborting its upload): the store's side ends too
      res.once('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    };
    if (mode.kind === 'slow') {
      req.pause();
      setTimeout(forward, mode.delayMs);
    } else forward();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      hop.endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      resolve(hop);
    });
  });
}
