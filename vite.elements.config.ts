import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `dist/paylit-elements.js`: every element in one ESM file (budget 35 KB gzip, test/size.mjs). The message catalogs
 * other than English are separate chunks under `dist/elements/`, loaded only by pages in those languages.
 */
export const LAZY = [
  /\/components\/internal\/locales\/(?!en\.)/,
  /\/components\/address\/(country-rules|address-form)\.ts$/,
  /\/postcode-validator\//,
  /\/@floating-ui\//,
  /\/components\/checkout\/checkout-(view|controller)\.ts$/,
  /\/core\/cart\.ts$/,
  /\/components\/checkout\/checkout-view\.styles\.ts$/,
  /\/core\/(estimate(-[a-z]+)?|invoice-builder|discounts|tax)\.ts$/,
  // The hosted checkout's panel for a change to an existing subscription (not in a new customer's checkout).
  /\/hosted\/current\.ts$/,
];

export default defineConfig({
  root,
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    // Maps stay in dist/ for debugging but unreferenced: the npm package ships without them (its 1 MB budget).
    sourcemap: 'hidden',
    lib: { entry: { 'paylit-elements': resolve(root, 'src/components/index.ts') }, formats: ['es'] },
    rolldownOptions: {
      // The lazy chunks import shared code from the entry itself, so the entry may export more than its own API.
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        chunkFileNames: 'elements/[name]-[hash].js',
        // What a page needs at once stays in the entry; only what loads later is split off: the other languages,
        // the address rules, Floating UI (first open of a popover), and the checkout's pricing engine and templates
        // (they load with the hosted page). Without this, shared modules would become extra chunks the entry imports.
        manualChunks: (id) => (LAZY.some((re) => re.test(id)) ? undefined : 'paylit-elements'),
      },
    },
  },
});
