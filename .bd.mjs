// raw bytes per source (by generated segments) for given js files; group by package/folder
import { readFileSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map-js';
import { gzipSync } from 'node:zlib';
const files = process.argv.slice(2);
const total = new Map();
for (const f of files) {
  const code = readFileSync(f, 'utf8');
  const map = JSON.parse(readFileSync(f + '.map', 'utf8'));
  const c = new SourceMapConsumer(map);
  const lines = code.split('\n');
  const segs = [];
  c.eachMapping((m) => segs.push(m));
  segs.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn);
  const per = new Map();
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i], n = segs[i + 1];
    const line = lines[s.generatedLine - 1] ?? '';
    const end = n && n.generatedLine === s.generatedLine ? n.generatedColumn : line.length;
    let src = s.source ?? '?';
    src = src.replace(/.*node_modules\//, 'nm:').replace(/^.*\/src\//, 'src/');
    const key = process.env.FULL ? src : src.startsWith('nm:') ? src.split('/').slice(0, src.startsWith('nm:@') ? 2 : 1).join('/') + (src.includes('zod') ? '/' + src.split('/').slice(-2).join('/') : '') : src;
    const txt = line.slice(s.generatedColumn, end);
    per.set(key, (per.get(key) ?? '') + txt);
  }
  for (const [k, v] of per) total.set(k, (total.get(k) ?? '') + v);
}
const rows = [...total].map(([k, v]) => [k, v.length, gzipSync(v, { level: 9 }).length]).sort((a, b) => b[1] - a[1]);
let sum = 0; for (const r of rows) sum += r[1];
for (const r of rows.slice(0, +(process.env.N ?? 60))) console.log(String(r[1]).padStart(7), String(r[2]).padStart(6), r[0]);
console.log('total raw', sum);
