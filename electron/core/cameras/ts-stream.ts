/**
 * The MPEG-TS that a camera feed's ffmpeg writes (stream copy, see camera-feed.ts), cut
 * into whole 188-byte packets. TS is used between ffmpeg and the recorder because any
 * packet boundary is a valid place to start or stop a file: a recording can begin at the
 * latest keyframe before the scan (the camera is already connected) and a part cut by a
 * crash or a dropped camera stays readable up to its last packet.
 *
 * Only the fixed TS header is read (ISO 13818-1 §2.4.3.2): the PID and the
 * random-access flag that ffmpeg's muxer sets on the first packet of every keyframe.
 * The PIDs are the ones the feed tells ffmpeg to use.
 */
export const TS_PACKET = 188;
export const PAT_PID = 0;
export const PMT_PID = 0x1000;
export const VIDEO_PID = 0x100;

export const pidOf = (p: Uint8Array) => ((p[1] & 0x1f) << 8) | p[2];

/** first packet of a keyframe: adaptation field present with random_access_indicator set */
export function startsKeyframe(p: Uint8Array): boolean {
  const adaptation = (p[3] >> 4) & 0x3;
  return (adaptation === 2 || adaptation === 3) && p[4] > 0 && (p[5] & 0x40) !== 0;
}

/** Reassembles whole packets from arbitrary pipe reads, resyncing on garbage. */
export class TsPacketizer {
  private rest: Buffer = Buffer.alloc(0);

  push(data: Buffer): Buffer[] {
    let buf = this.rest.length ? Buffer.concat([this.rest, data]) : data;
    const out: Buffer[] = [];
    let i = 0;
    while (buf.length - i >= TS_PACKET) {
      if (buf[i] !== 0x47) {
        i++; // not aligned (should not happen with ffmpeg's output): look for the next sync byte
        continue;
      }
      out.push(buf.subarray(i, i + TS_PACKET));
      i += TS_PACKET;
    }
    buf = buf.subarray(i);
    this.rest = Buffer.from(buf);
    return out;
  }
}

/** PTS wrap: 33 bits of a 90 kHz clock */
const PTS_WRAP = 2 ** 33;

/**
 * The presentation time (90 kHz ticks) of the PES that starts in this packet, or null
 * when no PES header with a PTS starts here (ISO 13818-1 §2.4.3.6 / §2.4.3.7).
 */
export function ptsOf(p: Uint8Array): number | null {
  if ((p[1] & 0x40) === 0) return null; // payload_unit_start_indicator: no PES starts here
  const adaptation = (p[3] >> 4) & 0x3;
  if (adaptation === 2) return null; // no payload
  const at = adaptation === 3 ? 5 + p[4] : 4;
  if (at + 14 > p.length || p[at] !== 0 || p[at + 1] !== 0 || p[at + 2] !== 1) return null;
  if ((p[at + 7] & 0x80) === 0) return null; // PTS_DTS_flags: no PTS
  const b = p.subarray(at + 9, at + 14);
  return ((b[0] >> 1) & 0x7) * 2 ** 30 + b[1] * 2 ** 22 + (b[2] >> 1) * 2 ** 15 + b[3] * 2 ** 7 + (b[4] >> 1);
}

/** milliseconds from PTS `from` to PTS `to`, across a wrap of the 33-bit clock */
export function ptsElapsedMs(from: number, to: number): number {
  return ((((to - from) % PTS_WRAP) + PTS_WRAP) % PTS_WRAP) / 90;
}
