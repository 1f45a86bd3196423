import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { LAZY } from './vite.elements.config.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The pages the backend serves from its own origin (`dist/hosted/`): the card frame, the checkout and the portal.
 * Built apart from the library and the elements bundle, so they share nothing with a merchant page's files (the card
 * frame apart from the other two: `--mode card`). The checkout and the portal share their common code (Lit, the elements, the adapter) in one chunk; what loads later
 * (other languages, the address rules, Floating UI, the checkout's pricing engine and templates) is split off as
 * in the elements bundle. test/size.mjs budgets what each page loads at once.
 */
export default defineConfig(({ mode }) => ({
  root,
  build: {
    outDir: resolve(root, 'dist/hosted'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    // Maps stay in dist/ for debugging but unreferenced: the npm package ships without them (its 1 MB budget).
    sourcemap: 'hidden',
    // .vite/manifest.json: the hashed chunks of each page, which the server names in the page's modulepreload links.
    manifest: mode !== 'card',
    lib: {
      // `--mode card`: the card frame, one self-contained file; otherwise the checkout and the portal.
      entry:
        mode === 'card'
          ? { 'card-frame': resolve(root, 'src/hosted/card-frame.ts') }
          : { checkout: resolve(root, 'src/hosted/checkout.ts'), portal: resolve(root, 'src/hosted/portal.ts') },
      formats: ['es'],
    },
    rolldownOptions: {
      output: {
        minify: true,
        // Final pages, not a library: no bundler reads their @__PURE__ marks (654 of them, 0.6 KB gzip); licences stay.
        comments: { legal: true, annotation: false, jsdoc: false },
        chunkFileNames: '[name]-[hash].js',
        // The checkout and the portal share one chunk of what both need at once (the portal's own sections and schemas
        // stay in its page); the rest loads when used.
        manualChunks: (id) => (/\/src\/hosted\/page-data\.ts$/.test(id) ? 'page-data' : mode === 'card' || LAZY.some((re) => re.test(id)) || /\/src\/hosted\/(checkout\.ts|portal\.ts|portal\/)|\/src\/adapter\/portal-schemas\.ts$/.test(id) ? undefined : 'shared'),
      },
    },
  },
}));
