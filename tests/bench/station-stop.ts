import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { ffmpegPath } from '../../electron/core/media/binaries';
import { sha256File } from '../../electron/core/storage/files';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { timeIt, type BenchRow } from './types';

/**
 * Stop → playable, hashed, recorded file for 60 s of 720p30, next to the naive way
 * (record WebM, then `ffmpeg -i in.webm out.mp4`). Our source is a fragmented H.264 MP4
 * shaped like Chromium's MediaRecorder output, appended in 1 s chunks as the station does.
 */
export async function benchStop(seconds = 60): Promise<BenchRow[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-stop-'));
  try {
    const { chunks, bytes } = recorderLikeStream(work, seconds, { width: 1280, height: 720, fps: 30 });
    const core = await createCore({ dataDir: path.join(work, 'data'), mode: 'cli' });
    const s = await core.handlers['capture.start']({
      code: 'BENCH-STOP-1',
      mode: 'outbound',
      mime: 'video/mp4;codecs=avc1',
    });
    for (let i = 0; i < chunks.length; i++)
      await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    const ours = await timeIt(() => core.handlers['capture.stop']({ recordingId: s.id }));
    await core.close();

    // the naive way: a WebM recording transcoded by a plain ffmpeg call, then hashed
    const webm = path.join(work, 'in.webm');
    execFileSync(ffmpegPath(), [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=30`,
      '-t',
      String(seconds),
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-b:v',
      '2M',
      webm,
    ]);
    const naive = await timeIt(async () => {
      execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-i', webm, path.join(work, 'out.mp4')]);
      return sha256File(path.join(work, 'out.mp4'));
    });
    return [
      {
        name: `stop → playable hashed MP4 (${seconds} s 720p30)`,
        ours_ms: Math.round(ours.ms),
        naive_ms: Math.round(naive.ms),
        ratio: +(naive.ms / ours.ms).toFixed(1),
        goal: 'ours ≤ 1000 ms, ratio ≥ 30×',
        note: `${(bytes / 1e6).toFixed(1)} MB recording; remux -c copy + faststart + SHA-256 + SQLite vs ffmpeg -i in.webm out.mp4 + SHA-256`,
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
