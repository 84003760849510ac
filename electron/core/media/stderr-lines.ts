/** Picking the line that explains a failure out of ffmpeg/ffprobe stderr. */
export const firstLine = (s: string) =>
  s
    .split(/\r?\n/)
    .find((l) => l.trim().length > 0)
    ?.trim() ?? '';
/** The last line that says what went wrong; ffmpeg's closing "Conversion failed!" says nothing. */
export const lastError = (lines: string[]) =>
  [...lines]
    .reverse()
    .find((l) => /error|invalid|could not|no such|failed/i.test(l) && !/^\s*Conversion failed!?\s*$/.test(l))
    ?.trim() ?? '';
