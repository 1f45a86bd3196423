// What a browser downloads for an artefact of the build: a module with the chunks it imports statically, the ones it
// imports dynamically, and the JS a new customer's checkout frame fetches in all. Shared by test/size.mjs (budgets)
// and bench/bytes.bench.ts (the figures beside their anchors).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bytes of gzip -9, of a file or of several concatenated into one stream. */
export const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
export const gzConcat = (paths) => gzipSync(Buffer.concat(paths.map((p) => readFileSync(p))), { level: 9 }).length;

/** A module and the chunks it imports statically, and those it imports dynamically (relative paths in the build). */
export function graph(path, seen = new Set()) {
  if (seen.has(path)) return { statics: seen, dynamics: new Set() };
  seen.add(path);
  const code = readFileSync(path, 'utf8');
  const dynamics = new Set();
  for (const m of code.matchAll(/import\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)) dynamics.add(join(dirname(path), m[1]));
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)[^"'()]*?from\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const dep = join(dirname(path), m[1]);
    const sub = graph(dep, seen);
    sub.dynamics.forEach((x) => dynamics.add(x));
  }
  for (const m of code.matchAll(/(?:^|[;}\s])import\s*["'](\.{1,2}\/[^"']+)["']/g)) graph(join(dirname(path), m[1]), seen);
  return { statics: seen, dynamics };
}

/**
 * The files a new customer's checkout frame downloads, each once: page (with the small script that asks for its data
 * early, checkout-early.js), shared chunks, the chunks it loads with its data, and the card frame with the chunks it imports (those the checkout has already fetched are not fetched again:
 * the server lets a browser keep a hashed chunk, test/e2e/checkout-bytes.spec.ts).
 */
export function checkoutFrameFiles(root) {
  const hosted = join(root, 'dist/hosted');
  const { statics, dynamics } = graph(join(hosted, 'checkout.js'));
  const withData = [...dynamics].filter((d) => /\/(estimate|checkout-view|address-form)-/.test(d));
  return [...new Set([join(hosted, 'checkout-early.js'), ...statics, ...withData, ...graph(join(hosted, 'card-frame.js')).statics])];
}
