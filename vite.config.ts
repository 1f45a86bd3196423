import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One build for the browser artefacts (sizes checked by test/size.mjs against DESIGN.md's budgets),
 * the dev server for the demo page (`/demo/`), and the vitest projects for core and server.
 */
export default defineConfig({
  root,
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    // Maps stay in dist/ for debugging but unreferenced: the npm package ships without them (its 1 MB budget).
    sourcemap: 'hidden',
    lib: {
      entry: {
        'paylit-core': resolve(root, 'src/core/index.ts'),
      },
      formats: ['es'],
    },
    // Vite leaves whitespace in ES library builds; these files are what browsers load, so minify them fully.
    rolldownOptions: { output: { minify: true } },
  },
  server: { host: '127.0.0.1', port: 8788, strictPort: false },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
