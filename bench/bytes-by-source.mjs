#!/usr/bin/env node
// Where the bytes of a new customer's checkout frame come from, by source file or package, from the build's source maps
// (the build writes them beside each chunk, unreferenced): `npm run build && node bench/bytes-by-source.mjs [--files]`.
// For each file test/bundle-graph.mjs `checkoutFrameFiles` counts, each source's generated text is gzipped alone and the
// results scaled so that a file's sources add up to the file's real gzip -9 size: an estimate of each source's share
// (gzip has no exact per-source split). `--files` lists node_modules by file rather than by package. Asserts nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkoutFrameFiles } from '../test/bundle-graph.mjs';

const root = join(import.meta.dirname, '..');
const hosted = join(root, 'dist/hosted');
if (!existsSync(join(hosted, 'checkout.js.map'))) throw new Error('Build first: npm run build (it writes the source maps)');
const byFile = process.argv.includes('--files');
const gz = (b) => gzipSync(b, { level: 9 }).length;
const KB = (n) => (n / 1024).toFixed(2).padStart(6);

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Source-map `mappings` as [generated column, source index] per segment, per line (the other fields are not needed). */
function decode(mappings) {
  let source = 0;
  return mappings.split(';').map((line) => {
    let col = 0;
    const out = [];
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const values = [];
      for (let i = 0, shift = 0, value = 0; i < seg.length; i++) {
        const d = B64.indexOf(seg[i]);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
      }
      col += values[0];
      if (values.length > 1) source += values[1];
      out.push([col, values.length > 1 ? source : undefined]);
    }
    return out;
  });
}

const name = (s) => {
  const p = s.replace(/^(\.\.\/)+/, '');
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
  return m && !byFile ? m[1] : p;
};

const all = new Map();
let total = 0;
for (const path of checkoutFrameFiles(root)) {
  const code = readFileSync(path, 'utf8');
  // The bundler's runtime helpers (a chunk of their own when several chunks share them) have no map: all glue.
  const map = existsSync(`${path}.map`) ? JSON.parse(readFileSync(`${path}.map`, 'utf8')) : { sources: [], mappings: '' };
  const parts = new Map();
  const add = (src, text) => (parts.get(src) ?? parts.set(src, []).get(src)).push(text);
  const lines = code.split('\n');
  decode(map.mappings).forEach((segs, li) => {
    const line = lines[li] ?? '';
    if (!segs.length || segs[0][0] > 0) add('(unmapped: imports, exports, glue)', line.slice(0, segs[0]?.[0] ?? line.length));
    segs.forEach(([col, si], i) => add(si === undefined ? '(unmapped: imports, exports, glue)' : name(map.sources[si]), line.slice(col, segs[i + 1]?.[0] ?? line.length)));
  });
  const size = gz(Buffer.from(code));
  total += size;
  const rows = [...parts].map(([src, texts]) => ({ src, raw: Buffer.byteLength(texts.join('')), alone: gz(Buffer.from(texts.join(''))) }));
  const sum = rows.reduce((n, r) => n + r.alone, 0);
  console.log(`\n${relative(hosted, path)}: ${KB(size)} KB gzip, ${String(Buffer.byteLength(code))} B raw`);
  for (const r of rows.sort((a, b) => b.alone - a.alone)) {
    const est = (r.alone * size) / sum;
    all.set(r.src, (all.get(r.src) ?? 0) + est);
    if (est >= 60) console.log(`  ${KB(est)} KB  ${String(r.raw).padStart(6)} B raw  ${r.src}`);
  }
}
console.log(`\nall of it: ${KB(total)} KB gzip; by source, the largest:`);
for (const [src, est] of [...all].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${KB(est)} KB  ${src}`);
