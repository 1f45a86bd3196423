import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The pages the backend serves from its own origin (`dist/hosted/`). Built apart from the library so each page is
 * one self-contained file: no chunk shared with `paylit-core.js`, whose size is measured on its own.
 */
export default defineConfig({
  root,
  build: {
    outDir: resolve(root, 'dist/hosted'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: { entry: { 'card-frame': resolve(root, 'src/hosted/card-frame.ts') }, formats: ['es'] },
    rolldownOptions: { output: { minify: true } },
  },
});
