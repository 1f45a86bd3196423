// The browser rows of issue 21, in bytes of gzip -9, each beside its anchor measured in the same run:
// `npm run bench:bytes` (builds first). The anchors come from npm into a temporary folder, never into the repo:
// - Polar's script-tag embed (`@polar-sh/checkout`'s dist/embed.global.js) against the loader, alone and with its UI;
// - Lit + Shoelace's `<sl-select>` with `<sl-option>`, bundled and minified by the same Vite as our elements, against
//   `dist/paylit-elements.js` with the chunks it imports statically (one gzip stream, as test/size.mjs counts it);
// - the JS a new customer's checkout frame downloads, card frame included (no anchor; DESIGN.md's 45 KB).
// Prints the numbers; asserts nothing (test/size.mjs holds the budgets).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'vite';
import { checkoutFrameFiles, graph, gz, gzConcat } from '../test/bundle-graph.mjs';

const root = join(import.meta.dirname, '..');
const PEERS = { '@polar-sh/checkout': '0.4.1', '@shoelace-style/shoelace': '2.20.1', lit: '3.3.3' };
if (!existsSync(join(root, 'dist/paylit.js'))) throw new Error('Build first: npm run build');

const dir = mkdtempSync(join(tmpdir(), 'paylit-peers-'));
try {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'peers', private: true, type: 'module' }));
  const specs = Object.entries(PEERS).map(([n, v]) => `${n}@${v}`);
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs], { cwd: dir, encoding: 'utf8' });
  if (npm.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed:\n${npm.stderr}`);

  const polar = gz(join(dir, 'node_modules/@polar-sh/checkout/dist/embed.global.js'));
  const select = '@shoelace-style/shoelace/dist/components';
  writeFileSync(join(dir, 'entry.js'), `import '${select}/select/select.js';\nimport '${select}/option/option.js';\n`);
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: join(dir, 'out'), target: 'es2022', minify: true, lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: () => 'select.js' } },
  });
  const shoelace = gz(join(dir, 'out/select.js'));

  const loader = gz(join(root, 'dist/paylit.js'));
  const ui = gz(join(root, 'dist/paylit-ui.js'));
  const elements = gzConcat([...graph(join(root, 'dist/paylit-elements.js')).statics]);
  const frame = checkoutFrameFiles(root);
  const frameBytes = frame.reduce((n, p) => n + gz(p), 0);

  const B = (n: number) => `${n.toLocaleString('en')} B`;
  const K = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  const row = (what: string, ours: string, anchor: string, goal: string) => console.log(`| ${what} | ${ours} | ${anchor} | ${goal} |`);
  console.log(`bytes of gzip -9; anchors from npm (${specs.join(', ')}), the same run:`);
  console.log('| figure | Paylit | anchor | goal |\n|---|---|---|---|');
  row('script-tag loader `dist/paylit.js`', B(loader), `Polar embed.global.js ${B(polar)}`, '≤ 2,600 B');
  row('loader + `paylit-ui.js`', `${B(loader + ui)} (${B(loader)} + ${B(ui)})`, `Polar ${B(polar)}`, '≤ 4,500 B');
  row('elements `dist/paylit-elements.js` with its static imports', K(elements), `Lit + sl-select + sl-option ${K(shoelace)}`, '≤ 30 KB');
  row("a new customer's checkout frame, all its JS", K(frameBytes), '—', '≤ 45 KB');
  console.log(`  (the frame's files: ${frame.map((p) => `${relative(join(root, 'dist/hosted'), p)} ${K(gz(p))}`).join(', ')})`);
  console.log(`  (Polar's embed raw ${B(readFileSync(join(dir, 'node_modules/@polar-sh/checkout/dist/embed.global.js')).length)}; the loader raw ${B(readFileSync(join(root, 'dist/paylit.js')).length)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
