import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';

/** SAX callbacks with namespace prefixes dropped (`x:row` → `row`): writers differ. */
export interface XmlHandlers {
  open?(name: string, attrs: Record<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

const local = (name: string) => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

function parserFor(h: XmlHandlers): SaxesParser {
  const p = new SaxesParser({ xmlns: false, position: false });
  if (h.open) p.on('opentag', (t) => h.open!(local(t.name), t.attributes as Record<string, string>));
  if (h.close) p.on('closetag', (t) => h.close!(local(t.name)));
  if (h.text) {
    p.on('text', (t) => h.text!(t));
    p.on('cdata', (t) => h.text!(t));
  }
  return p;
}

/**
 * Feeds a part through the parser chunk by chunk, pausing after each chunk so the caller
 * can hand on what the callbacks collected: memory stays bounded by one chunk.
 * `onBytes` reports decompressed bytes read. Stopping the iteration closes the stream.
 */
export async function* parseXmlChunks(
  stream: Readable,
  h: XmlHandlers,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<void> {
  const parser = parserFor(h);
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      parser.write(decoder.decode(chunk, { stream: true }));
      onBytes?.(bytes);
      yield;
    }
    parser.write(decoder.decode());
    parser.close();
    yield;
  } finally {
    stream.destroy();
  }
}

/** Parses a whole (small) part, refusing one larger than `maxBytes` decompressed. */
export async function parseXml(stream: Readable, h: XmlHandlers, maxBytes: number, part: string): Promise<void> {
  for await (const _ of parseXmlChunks(stream, h, (b) => {
    if (b > maxBytes) throw new Error(`${part} is larger than ${Math.round(maxBytes / 1048576)} MB`);
  }))
    void _;
}
