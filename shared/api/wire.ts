/**
 * How a call input travels over HTTP. JSON for everything, except one top-level binary
 * field (a recording chunk, a photo) which goes as the raw request body so a 1 s chunk
 * is not inflated by base64.
 */
export const WIRE_INPUT_HEADER = 'x-proofpack-input';
export const WIRE_BYTES_FIELD_HEADER = 'x-proofpack-bytes-field';

export interface WireRequest {
  body: string | Uint8Array;
  headers: Record<string, string>;
}

export function encodeWireInput(input: unknown): WireRequest {
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const entries = Object.entries(input as Record<string, unknown>);
    const binary = entries.filter(([, v]) => v instanceof Uint8Array);
    if (binary.length === 1) {
      const [field, bytes] = binary[0];
      const rest = Object.fromEntries(entries.filter(([k]) => k !== field));
      return {
        body: bytes as Uint8Array,
        headers: {
          'content-type': 'application/octet-stream',
          [WIRE_INPUT_HEADER]: encodeURIComponent(JSON.stringify(rest)),
          [WIRE_BYTES_FIELD_HEADER]: field,
        },
      };
    }
  }
  return { body: JSON.stringify(input ?? {}), headers: { 'content-type': 'application/json' } };
}

/** Server side: rebuild the input object from headers and body. */
export function decodeWireInput(headers: Record<string, string | string[] | undefined>, body: Uint8Array): unknown {
  const field = headers[WIRE_BYTES_FIELD_HEADER];
  if (typeof field === 'string' && field.length > 0) {
    const restRaw = headers[WIRE_INPUT_HEADER];
    const rest = typeof restRaw === 'string' ? JSON.parse(decodeURIComponent(restRaw)) : {};
    return { ...rest, [field]: body };
  }
  if (body.length === 0) return {};
  return JSON.parse(new TextDecoder().decode(body));
}
