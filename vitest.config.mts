import { defineConfig } from 'vitest/config';

// unit: pure logic; integration: real SQLite files and real ffmpeg; e2e: real Chromium
// driving the loopback mode. Slow tiers run only with PROOFPACK_SLOW=1.
export default defineConfig({
  test: {
    projects: [
      {
        // vitest's default 5 s is a speed assertion in disguise: a unit test that decodes a
        // barcode or renders a label can take longer on a loaded 2-core CI machine
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
