/** fontkit 2 ships no types; the packet PDF uses only `create` (see pdf-font.ts). */
declare module 'fontkit' {
  export function create(buffer: Buffer, postscriptName?: string): unknown;
}
