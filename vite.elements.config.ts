import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import minifyHTMLLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * postcode-validator keys its formats by a compiled TypeScript enum whose every value is its own name
 * (`CountryCode["GB"] = "GB"`). A bundler cannot inline an enum object from compiled JS, so the enum and 187 reads of
 * it ship with the address form (0.9 KB gzip). This writes each read as its string; it fails the build, rather than
 * change a format, if the package's files no longer have that shape.
 */
export const inlinePostcodeCountryCodes: Plugin = {
  name: 'inline-postcode-country-codes',
  transform(code, id) {
    if (!/[\\/]postcode-validator[\\/]lib[\\/]esm[\\/]postcode-regexes\.js$/.test(id)) return undefined;
    const enumSource = readFileSync(resolve(dirname(id), 'postcode-types.js'), 'utf8');
    const members = [...enumSource.matchAll(/CountryCode\["(\w+)"\] = "(\w+)"/g)];
    const fail = (why: string) => this.error(`postcode-validator's files changed shape (${why}): update or remove this plugin`);
    if (members.length === 0 || members.some(([, name, value]) => name !== value)) fail('an enum value is not its own name');
    const names = new Set(members.map(([, name]) => name));
    const withoutImport = code.replace(/^import \{ CountryCode \} from '\.\/postcode-types(?:\.js)?';$/m, '');
    const inlined = withoutImport.replace(/\bCountryCode\.(\w+)\b/g, (_, name: string) => (names.has(name) ? JSON.stringify(name) : fail(`no member ${name}`)));
    if (withoutImport === code || inlined.includes('CountryCode')) fail('the enum is read another way');
    return { code: inlined, map: null };
  },
};

/**
 * The `html` and `css` template texts minified (Lit's own plugin: html-minifier for markup, LightningCSS for styles),
 * so their indentation and comments do not ship. LightningCSS's targets are the browsers the styles already need
 * (`light-dark()`): it writes nothing newer than they read. Whitespace collapses to one space, never to none (a space
 * before an inline element's text is part of what it reads). A template it cannot parse fails the build.
 */
export const minifyTemplates = (): Plugin =>
  minifyHTMLLiterals({
    include: ['src/**/*.ts'],
    failOnError: true,
    options: { minifyOptions: { conservativeCollapse: true, minifyCSS: { minify: true, targets: { chrome: 123 << 16, firefox: 120 << 16, safari: (17 << 16) | (5 << 8) } } } },
  }) as Plugin;

/**
 * `dist/paylit-elements.js`: every element in one ESM file (under 30 KB gzip, test/size.mjs). The message catalogs
 * other than English are separate chunks under `dist/elements/`, loaded only by pages in those languages.
 */
export const LAZY = [
  /\/components\/internal\/locales\/(?!en\.)/,
  /\/components\/address\/(country-rules|address-form)\.ts$/,
  // A country's subdivisions (all but the US's, which come with the rules): when an address in it is first shown.
  /\/components\/address\/subdivisions\//,
  /\/postcode-validator\//,
  /\/@floating-ui\//,
  /\/components\/internal\/popover-position\.ts$/,
  // The credit balance's top-up offer: its views and strings load when an offer first opens.
  /\/components\/credit-balance\/credit-balance-offer(\.styles)?\.ts$/,
  /\/components\/checkout\/checkout-(view|controller)\.ts$/,
  /\/core\/cart\.ts$/,
  /\/components\/checkout\/checkout-view\.styles\.ts$/,
  /\/core\/(estimate(-[a-z]+)?|invoice-builder|discounts|tax|addon-choice|periods)\.ts$/,
  // The hosted checkout's panel for a change to an existing subscription (not in a new customer's checkout).
  /\/hosted\/current\.ts$/,
];

export default defineConfig({
  root,
  plugins: [inlinePostcodeCountryCodes, minifyTemplates()],
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
        // A finished bundle for script tags and CDN paths (bundlers take `paylit/elements` from lib/), already shaken:
        // its @__PURE__ marks (0.3 KB gzip) go, as in the hosted pages; licences stay.
        comments: { legal: true, annotation: false, jsdoc: false },
        chunkFileNames: 'elements/[name]-[hash].js',
        // What a page needs at once stays in the entry; only what loads later is split off: the other languages,
        // the address rules, Floating UI (first open of a popover), and the checkout's pricing engine and templates
        // (they load with the hosted page). Without this, shared modules would become extra chunks the entry imports.
        manualChunks: (id) => (LAZY.some((re) => re.test(id)) ? undefined : 'paylit-elements'),
      },
    },
  },
});
