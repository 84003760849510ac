import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/** A JSON answer for programs: never cached, never sniffed; a 401 says how to authenticate. */
export function replyJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
  res.end(JSON.stringify(body));
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  return auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : null;
}

/** Listens and resolves with the port really bound (port 0 picks a free one) and a close() that drops open connections. */
export async function listenOn(
  server: http.Server,
  port: number,
  host: string,
): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
