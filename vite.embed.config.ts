import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

/**
 * The script tag, in two files beside each other (the backend serves both at its root):
 * - `dist/paylit.js` (default mode): a classic script (IIFE) defining `window.Paylit`, the whole API with its input
 *   checks (src/embed/paylit.ts, cart.ts);
 * - `dist/paylit-ui.js` (`--mode ui`): what the API does once something opens (src/embed/ui.ts: the modal, the frames
 *   and their messages, the drop-in buttons' products, the cart's checkout), an ES module the script imports when the
 *   page is idle after init or on first use.
 * Budgets in test/size.mjs.
 * No Lit and no zod in either (test/size.mjs checks).
 */
export default defineConfig(({ mode }) => ({
  root,
  define: { __VERSION__: JSON.stringify(version) },
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    // Maps stay in dist/ for debugging but unreferenced: the npm package ships without them (its 1 MB budget).
    sourcemap: 'hidden',
    lib:
      mode === 'ui'
        ? { entry: resolve(root, 'src/embed/ui.ts'), formats: ['es'], fileName: () => 'paylit-ui.js' }
        : { entry: resolve(root, 'src/embed/index.ts'), formats: ['iife'], name: 'PaylitLoader', fileName: () => 'paylit.js' },
    rolldownOptions: { output: { minify: true } },
  },
}));
