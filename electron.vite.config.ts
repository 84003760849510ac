import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// The fixed top level (electron/, renderer/) is not electron-vite's default src/ layout,
// so every entry is named here.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    // the recording's overlay worker (frame-overlay.worker.ts) is an ES module like the page
    worker: { format: 'es' },
    resolve: {
      // the overlay's font is the summary PDFs' font file (see renderer/src/station/evidence-font.ts);
      // the package exports no path to it, so it is named here
      alias: [
        {
          find: /^@bundled-cjk-font(?=\?|$)/,
          replacement: resolve(__dirname, 'node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf'),
        },
      ],
    },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      // the station app, and the staff app the hub serves to browsers and phones
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html'), staff: resolve(__dirname, 'renderer/staff.html') },
      },
    },
  },
});
