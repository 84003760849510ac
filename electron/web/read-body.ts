import type { IncomingMessage } from 'node:http';

/**
 * A request body, whole, or null once it grows past `maxBytes` (the connection is then
 * dropped, so a client cannot make the server hold an endless upload).
 */
export function readBodyLimited(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        resolve(null);
        req.destroy();
      } else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}
