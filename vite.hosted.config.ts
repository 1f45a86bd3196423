import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { inlinePostcodeCountryCodes, LAZY, minifyTemplates } from './vite.elements.config.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** zod and the frames' message schemas: the one chunk the card frame shares with the checkout and the portal. */
const ZOD = /\/node_modules\/zod\/|\/src\/adapter\/frame-messages\.ts$/;
/** The card frame's own code: card-validator and core's card checks, which neither page imports. */
const CARD = /\/src\/hosted\/card-frame\.ts$|\/src\/core\/card\.ts$|\/node_modules\/(card-validator|credit-card-type)\//;
/** What the portal alone loads at once (its sections and their schemas), in its page. */
const PORTAL = /\/src\/hosted\/(checkout\.ts|portal\.ts|portal\/)|\/src\/adapter\/portal-schemas\.ts$/;

type ModuleGraph = { getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null };
let portalStatics: Set<string> | undefined;
/** The modules the portal page may load, now or later, from its entry (one build, so worked out once). */
function portalLoads(ctx: ModuleGraph): Set<string> {
  if (portalStatics) return portalStatics;
  const seen = new Set<string>();
  const walk = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const info = ctx.getModuleInfo(id);
    info?.importedIds.forEach(walk);
    info?.dynamicallyImportedIds.forEach(walk);
  };
  walk(resolve(root, 'src/hosted/portal.ts'));
  return (portalStatics = seen);
}

/**
 * The pages the backend serves from its own origin (`dist/hosted/`): the checkout, the portal and the card frame
 * both embed. Built apart from the library and the elements bundle, so they share nothing with a merchant page's
 * files, but in one chunk graph, so zod is downloaded once: the checkout and the portal share their common code
 * (Lit, the elements, the adapter) in one chunk, which imports a chunk of zod that the card frame imports too (the
 * card frame evaluates neither Lit nor the elements). What loads later (other languages, the address rules, Floating
 * UI, the checkout's pricing engine and templates) is split off as in the elements bundle. test/size.mjs budgets what
 * each page loads at once.
 */
export default defineConfig(() => ({
  root,
  plugins: [inlinePostcodeCountryCodes, minifyTemplates()],
  build: {
    outDir: resolve(root, 'dist/hosted'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    // Maps stay in dist/ for debugging but unreferenced: the npm package ships without them (its 1 MB budget).
    sourcemap: 'hidden',
    // .vite/manifest.json: the hashed chunks of each page, which the server names in the page's modulepreload links.
    manifest: true,
    lib: {
      entry: {
        checkout: resolve(root, 'src/hosted/checkout.ts'),
        // The checkout's data, asked for while the page's scripts load (its page names it before them).
        'checkout-early': resolve(root, 'src/hosted/checkout-early.ts'),
        portal: resolve(root, 'src/hosted/portal.ts'),
        'card-frame': resolve(root, 'src/hosted/card-frame.ts'),
      },
      formats: ['es'],
    },
    rolldownOptions: {
      // What only the checkout and its later chunks share stays in checkout.js, which those chunks import.
      preserveEntrySignatures: 'allow-extension',
      // The checkout's page imports its view and the address form itself (src/hosted/checkout.ts), which the elements
      // load with `import()` elsewhere: that the import() then splits nothing off here is the point.
      checks: { ineffectiveDynamicImport: false },
      output: {
        minify: true,
        // Final pages, not a library: no bundler reads their @__PURE__ marks (654 of them, 0.6 KB gzip); licences stay.
        comments: { legal: true, annotation: false, jsdoc: false },
        chunkFileNames: '[name]-[hash].js',
        // The checkout and the portal share one chunk of what both load at once, and that chunk shares zod with the
        // card frame (zod first, so the shared chunk's capture of its dependencies does not take zod in). What only the
        // checkout needs (the addon picker, the checkout element, pricing) stays in the checkout's own files, so the
        // portal does not download it; the rest loads when used.
        codeSplitting: {
          groups: [
            { name: 'zod', test: ZOD, priority: 2 },
            {
              name: (id, ctx) => (LAZY.some((re) => re.test(id)) || PORTAL.test(id) || CARD.test(id) || !portalLoads(ctx).has(id) ? null : 'shared'),
              debugName: 'shared',
              priority: 1,
            },
          ],
        },
      },
    },
  },
}));
