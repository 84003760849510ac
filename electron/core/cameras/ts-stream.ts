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
