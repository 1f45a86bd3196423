#!/usr/bin/env node
// The packaging step of `npm test` (also `npm run test:package`): packs Paylit as `npm publish` would and uses the
// tarball as integrators do, in two fresh projects outside the repository, installed from the npm cache (--prefer-offline):
//   web/     paylit (with lit, zod and Floating UI of the app's own): plain Node imports without any database driver,
//            tsc, a default Vite build opened in Chromium, the script tag and the elements module from node_modules;
//   server/  paylit with better-sqlite3 and pg: the paylit-server bin answering the API, serving its pages, stopping
//            on SIGTERM and Ctrl+C; paylit/merchant without native code; tsc on the README's server examples.
// Then publint and @arethetypeswrong/cli on the tarball. `--built`: the build just ran (npm test), pack without it.
// PAYLIT_KEEP_PACKAGE_CHECK=1 keeps the temporary folder.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, HOW_TO_GET_CHROMIUM } from './chromium.mjs';
import { startBin, staticServer } from './package/servers.mjs';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'test/package');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = (name) => join(root, 'node_modules/.bin', name);
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'paylit-package-'));
const cleanups = [];
let passed = 0;
let failed = 0;

/** Runs a command; resolves with its output, rejects with it (and the command) on a non-zero exit or after `timeout`. */
function run(cmd, args, { cwd = root, env = {}, timeout = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${[cmd, ...args].join(' ')} (in ${cwd}) failed (${signal ?? `exit ${String(code)}`}):\n${out}`));
    });
  });
}

/** One check: prints ✔ or ✖ with its name; a failure is counted and the next check runs. */
async function check(name, fn) {
  const t = Date.now();
  try {
    const detail = await fn();
    passed++;
    console.log(`✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)${detail ? `\n${String(detail).trimEnd()}` : ''}`);
    return true;
  } catch (e) {
    failed++;
    console.error(`✖ ${name}\n${String(e instanceof Error ? e.message : e).trimEnd()}`);
    return false;
  }
}

const expect = (ok, message) => {
  if (!ok) throw new Error(message);
};
const versionOf = (name) => pkg.devDependencies[name] ?? pkg.dependencies[name].replace(/^\^/, '');
const npm = (args, cwd) => run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd });
const project = (name) => {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `paylit-check-${name}`, private: true, type: 'module' }, null, 2));
  return dir;
};

let tarball;
let files = [];
const web = project('web');
const server = project('server');

try {
  console.log(`Package checks in ${tmp}`);
  if (!process.argv.includes('--built')) await check('build (npm run build)', () => run('npm', ['run', 'build', '--silent']));

  await check('npm pack: the allow-list holds what integrators load, and nothing of the repository', async () => {
    const [info] = JSON.parse(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp]));
    tarball = join(tmp, info.filename);
    files = info.files.map((f) => f.path);
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    const required = ['README.md', 'LICENSE', 'package.json', 'custom-elements.json', 'dist/paylit.js', 'dist/paylit-ui.js', 'dist/paylit-elements.js',
      'dist/hosted/checkout.js', 'dist/hosted/portal.js', 'dist/hosted/card-frame.js', 'lib/components/plan-picker/plan-picker.js',
      ...Object.values(pkg.bin), ...targets.filter((t) => !t.includes('*')).map((t) => t.replace(/^\.\//, ''))];
    const missing = required.filter((f) => !files.includes(f));
    expect(missing.length === 0, `missing from the tarball: ${missing.join(', ')}`);
    expect(files.some((f) => /^dist\/elements\/.+\.js$/.test(f)), 'the elements\' lazy chunks (dist/elements/) are missing');
    const stray = files.filter((f) => /^(src|test|bench|demo|scripts|\.ci)\/|\.map$|^tsconfig|^vite\.|\.config\.|package-lock|\.tgz$/.test(f));
    expect(stray.length === 0, `must not be in the tarball: ${stray.join(', ')}`);
    return `  ${info.filename}: ${(info.size / 1024).toFixed(0)} KB packed, ${(info.unpackedSize / 1024).toFixed(0)} KB unpacked, ${String(info.entryCount)} files`;
  });
  if (!tarball) throw new Error('no tarball, nothing more to check');

  const [webOk, serverOk] = await Promise.all([
    check('install into a browser project: paylit and the app\'s own lit, zod and Floating UI (no database driver)', async () => {
      await npm(['install', tarball, ...['lit', 'zod', '@floating-ui/dom'].map((n) => `${n}@^${versionOf(n)}`)], web);
      const nested = ['lit', 'zod', '@floating-ui/dom'].filter((n) => existsSync(join(web, 'node_modules/paylit/node_modules', n)));
      expect(nested.length === 0, `a second copy installed for paylit: ${nested.join(', ')}`);
      const native = ['better-sqlite3', 'pg'].filter((n) => existsSync(join(web, 'node_modules', n)));
      expect(native.length === 0, `database drivers installed for a browser project: ${native.join(', ')}`);
      return '  one copy each of lit, zod and @floating-ui/dom; no better-sqlite3 and no pg (nothing compiled)';
    }),
    check('install into a server project: paylit, better-sqlite3, pg, chargebee, @types/node, typescript 5.9', async () => {
      const deps = ['better-sqlite3', 'pg', 'chargebee', '@types/node'].map((n) => `${n}@${versionOf(n)}`);
      await run('npm', ['install', tarball, ...deps, 'typescript@5.9.3', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: server });
      // better-sqlite3 compiles from source (node-gyp, about a minute); `npm ci` just compiled this very version for
      // the repository, so its binary is reused when it matches, and compiled here otherwise.
      const mine = join(root, 'node_modules/better-sqlite3');
      const theirs = join(server, 'node_modules/better-sqlite3');
      const built = join(mine, 'build/Release/better_sqlite3.node');
      const same = JSON.parse(readFileSync(join(mine, 'package.json'), 'utf8')).version === JSON.parse(readFileSync(join(theirs, 'package.json'), 'utf8')).version;
      if (same && existsSync(built)) {
        mkdirSync(join(theirs, 'build/Release'), { recursive: true });
        copyFileSync(built, join(theirs, 'build/Release/better_sqlite3.node'));
        return '  better-sqlite3: the binary npm ci built for the repository (same version)';
      }
      await run('npm', ['rebuild', 'better-sqlite3'], { cwd: server, timeout: 600_000 });
      return '  better-sqlite3: compiled';
    }),
  ]);

  const installed = join(web, 'node_modules/paylit'); // the files as the tarball installed them
  if (webOk) {
    await check('the elements\' published modules carry no untranspiled decorators', () => {
      const modules = files.filter((f) => /^lib\/components\/.*\.js$/.test(f));
      for (const f of modules) {
        const code = readFileSync(join(installed, f), 'utf8');
        // `@name(` opening a line (not CSS's `@media (`, `@supports (`... in the styles' template literals), or `accessor`.
        const found = /^\s*@(?!(?:media|supports|container|layer|keyframes|font-face|import|page|starting-style)\b)[A-Za-z_$][\w$]*\(|^\s*(?:static\s+)?accessor\s+[\w$#]+\s*[=;]/m.exec(code);
        expect(!found, `${f}: ${found?.[0]}`);
      }
      return `  ${String(modules.length)} modules in lib/components/, none with a decorator (reactive properties declared in static properties)`;
    });

    await check('the browser files carry no bare imports and production Lit (usable from node_modules or a CDN path)', () => {
      const browserFiles = files.filter((f) => /^dist\/.*\.js$/.test(f));
      for (const f of browserFiles) {
        const code = readFileSync(join(installed, f), 'utf8');
        const bare = [...code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"'./][^"']*)["']/g)].map((m) => m[1]).filter((s) => !/^(https?|data):/.test(s));
        expect(bare.length === 0, `${f} imports ${bare.join(', ')}`);
        expect(!code.includes('Lit is in dev mode'), `${f} carries Lit's development build`);
      }
      return `  ${String(browserFiles.length)} files in dist/`;
    });
    await check('plain Node imports every server-side export without a driver installed; the webhook verifier works', () => {
      copyFileSync(join(fixtures, 'imports.mjs'), join(web, 'imports.mjs'));
      return run(process.execPath, ['imports.mjs'], { cwd: web });
    });
    await check('paylit-server without better-sqlite3 says what to install', async () => {
      const out = await run(join(web, 'node_modules/.bin/paylit-server'), [], { cwd: web }).then(() => '', (e) => e.message);
      expect(/needs the better-sqlite3 package, which is not installed: npm install better-sqlite3/.test(out), `expected the missing-driver message, got:\n${out}`);
    });
    await check('paylit-server --help prints every variable with its default and meaning, from the installed env schema', async () => {
      const out = await run(join(web, 'node_modules/.bin/paylit-server'), ['--help'], { cwd: web });
      const { envVariables } = await import(join(installed, 'lib/server/env.js'));
      const vars = envVariables().filter((v) => !v.name.startsWith('PAYLIT_TEST_'));
      const lines = out.split('\n');
      for (const v of vars) {
        const line = lines.find((l) => l.startsWith(`  ${v.name} `));
        expect(line?.endsWith(` [default: ${v.default}]`) && line.includes(v.meaning), `${v.name}: expected "${v.meaning} [default: ${v.default}]", got: ${line}`);
      }
      expect(lines.some((l) => /^  PORT +.* \[default: 8787\]$/.test(l)), `PORT's default 8787 missing:\n${out}`);
      return `  ${String(vars.length)} variables, each with its default`;
    });
  }

  const tsc = { 'tsc 7': bin('tsc'), 'tsc 5.9': join(server, 'node_modules/typescript/bin/tsc') };
  const typeCheck = (dir, sources, resolution, lib, types) => {
    const config = {
      compilerOptions: {
        target: 'ES2022', module: resolution === 'node16' ? 'node16' : 'esnext', moduleResolution: resolution, lib, types,
        strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true,
      },
      files: sources,
    };
    writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify(config, null, 2));
    const runs = Object.entries(tsc).map(([name, path]) => run(process.execPath, [path, '-p', `tsconfig.${resolution}.json`], { cwd: dir }).then(() => name));
    return Promise.all(runs).then((names) => `  ${names.join(', ')}: no errors`);
  };
  if (webOk && serverOk) {
    copyFileSync(join(fixtures, 'app.ts'), join(web, 'app.ts'));
    copyFileSync(join(fixtures, 'server-types.ts'), join(web, 'server-types.ts'));
    copyFileSync(join(root, 'test/types/chargebee-style.ts'), join(web, 'chargebee-style.ts'));
    copyFileSync(join(root, 'test/types/readme-pickers.ts'), join(web, 'readme-pickers.ts'));
    for (const resolution of ['bundler', 'node16']) {
      await check(`tsc (7 and 5.9), moduleResolution ${resolution}, strict + exactOptionalPropertyTypes + skipLibCheck false, no decorator flags, no @types: the elements, the adapter, the core, the global; merchant and server types`, () =>
        typeCheck(web, ['app.ts', 'chargebee-style.ts', 'server-types.ts', 'readme-pickers.ts'], resolution, ['ES2023', 'DOM', 'DOM.Iterable'], []));
    }
  }
  if (serverOk) {
    for (const f of ['readme-server.ts', 'readme-merchant.ts', 'readme-after-payment.ts']) copyFileSync(join(root, 'test/types', f), join(server, f));
    for (const resolution of ['bundler', 'node16']) {
      await check(`tsc (7 and 5.9), moduleResolution ${resolution}, the same options: the README's paylit/server, paylit/merchant and after-the-payment examples`, () =>
        typeCheck(server, ['readme-server.ts', 'readme-merchant.ts', 'readme-after-payment.ts'], resolution, ['ES2023'], ['node']));
    }
    await check('paylit/merchant loads no native code until a ledger opens; the ledger finds its driver from the installed package', () => {
      copyFileSync(join(fixtures, 'merchant.mjs'), join(server, 'merchant.mjs'));
      return run(process.execPath, ['merchant.mjs'], { cwd: server });
    });
  }

  const executablePath = await findChromium();
  expect(executablePath, HOW_TO_GET_CHROMIUM);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  cleanups.push(() => browser.close());
  /** A page that records what a person would see go wrong: uncaught errors, console errors, Lit's dev-mode warning. */
  const open = async (url) => {
    const page = await browser.newPage();
    const problems = [];
    const loaded = [];
    page.on('response', (r) => r.ok() && loaded.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => (m.type() === 'error' || /dev mode/.test(m.text())) && problems.push(`console ${m.type()}: ${m.text()}`));
    await page.goto(url);
    return { page, problems, loaded };
  };

  if (webOk) {
    await check('a default Vite build of a page importing paylit/elements runs in Chromium (element registered, rendered, one Lit)', async () => {
      for (const f of ['index.html', 'main.js']) copyFileSync(join(fixtures, f), join(web, f));
      await run(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: web });
      const assets = readdirSync(join(web, 'dist/assets')).map((f) => readFileSync(join(web, 'dist/assets', f), 'utf8'));
      const lits = assets.join('\n').split('litElementVersions').length - 1;
      expect(lits === 1, `the bundle carries ${String(lits)} copies of Lit`);
      const site = await staticServer(join(web, 'dist'));
      cleanups.push(site.close);
      const { page, problems } = await open(`${site.url}/index.html`);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 15_000 }).catch(() => undefined);
      const result = await page.evaluate(() => window.result);
      expect(result?.registered && result.rendered, `<paylit-plan-picker> ${JSON.stringify(result)}; ${problems.join('; ')}`);
      expect(problems.length === 0, problems.join('\n'));
      await page.close();
    });
  }

  if (serverOk) {
    const shop = await staticServer(web); // the merchant's page, serving node_modules as it is
    cleanups.push(shop.close);
    const dataDir = join(tmp, 'data');
    const env = { PORT: '0', PAYLIT_DATA_DIR: dataDir, PAYLIT_ALLOWED_ORIGINS: shop.url, PAYLIT_SCHEDULER_INTERVAL: '0s' };
    let backend;
    await check('paylit-server (node_modules/.bin, what npx runs) starts the backend from the installed package and prints its URL, site and keys', async () => {
      backend = await startBin(join(server, 'node_modules/.bin/paylit-server'), server, env);
      cleanups.push(() => backend.proc.kill('SIGKILL'));
      return `  ${backend.url}, site ${backend.site}, publishable key ${backend.publishableKey}`;
    });
    if (backend) {
      await check('the backend answers the API (the official REST shape, secret key) and serves its pages from the installed dist/', async () => {
        const auth = { authorization: `Basic ${Buffer.from(`${backend.secretKey}:`).toString('base64')}` };
        const plans = await fetch(`${backend.url}/api/v2/plans`, { headers: auth }).then((r) => r.json());
        expect(plans.list?.length > 0, `GET /api/v2/plans: ${JSON.stringify(plans)}`);
        const body = new URLSearchParams({ 'subscription[plan_id]': 'credits-starter' });
        const { hosted_page: hp } = await fetch(`${backend.url}/api/v2/hosted_pages/checkout_new`, { method: 'POST', headers: auth, body }).then((r) => r.json());
        const html = await fetch(hp.url).then((r) => r.text());
        const script = /<script type="module" src="(\/hosted\/[^"?]+\.js(?:\?v=[^"]*)?)"/.exec(html)?.[1];
        expect(script, `the hosted page has no script:\n${html}`);
        // The chunks it needs, named from the build's manifest (which the package must carry).
        const preloads = [...html.matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
        expect(preloads.length > 0, `the hosted page preloads no chunk:\n${html}`);
        for (const path of [script, ...preloads, '/paylit.js', '/paylit-ui.js']) {
          const r = await fetch(`${backend.url}${path}`);
          expect(r.ok && /javascript/.test(r.headers.get('content-type')), `GET ${path}: ${String(r.status)}`);
        }
        return `  GET /api/v2/plans: ${String(plans.list.length)} plans; POST /api/v2/hosted_pages/checkout_new; GET ${new URL(hp.url).pathname}, ${script}, ${String(preloads.length)} chunks, /paylit.js, /paylit-ui.js`;
      });
      await check('the script tag and the elements module from node_modules: a drop-in button opens the checkout from this backend', async () => {
        const html = readFileSync(join(fixtures, 'script-tag.html'), 'utf8')
          .replace('{{SITE}}', backend.site).replace('{{BACKEND}}', backend.url).replace('{{PUBLISHABLE_KEY}}', backend.publishableKey);
        writeFileSync(join(web, 'script-tag.html'), html);
        const { page, problems, loaded } = await open(`${shop.url}/script-tag.html`);
        const tags = ['paylit-plan-picker', 'paylit-addon-picker', 'paylit-address', 'paylit-checkout', 'paylit-credit-balance'];
        await page.waitForFunction((t) => t.every((tag) => customElements.get(tag)), tags, { timeout: 15_000 });
        await page.getByRole('button', { name: 'Buy credits' }).click();
        await page.frameLocator('iframe[title="Checkout"]').getByRole('button', { name: /Add a pack/ }).waitFor({ timeout: 20_000 });
        const ui = `${shop.url}/node_modules/paylit/dist/paylit-ui.js`;
        expect(loaded.includes(ui), `${ui} was not loaded (the script loads its UI module from beside itself)`);
        expect(problems.length === 0, problems.join('\n'));
        await page.close();
        return `  window.Paylit, the five elements, paylit-ui.js beside the script, the hosted checkout in the modal`;
      });
      await check('SIGTERM stops it cleanly (exit 0); started again it keeps its site and keys; Ctrl+C (SIGINT) stops it too', async () => {
        const term = await backend.stop('SIGTERM');
        expect(term === 0, `SIGTERM: exit ${String(term)}\n${backend.output()}`);
        const again = await startBin(join(server, 'node_modules/.bin/paylit-server'), server, env);
        cleanups.push(() => again.proc.kill('SIGKILL'));
        expect(again.site === backend.site && again.secretKey === backend.secretKey && again.publishableKey === backend.publishableKey, 'the keys changed on restart');
        const int = await again.stop('SIGINT');
        expect(int === 0, `SIGINT: exit ${String(int)}\n${again.output()}`);
      });
    }
  }

  await check('publint --strict (no errors, no warnings)', () => run(bin('publint'), ['run', tarball, '--strict']).then((out) => out.split('\n').filter((l) => /All good|error|warn/i.test(l)).join('\n')));
  // ESM only, as lit is: node10 resolution (dropped by TypeScript 7) and require() of types are not goals.
  await check('@arethetypeswrong/cli --profile esm-only (no problems)', () => run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']).then(() => '  types resolve under node16 (ESM) and bundler for every export'));
} catch (e) {
  failed++;
  console.error(`✖ ${e instanceof Error ? e.message : String(e)}`);
} finally {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  if (process.env.PAYLIT_KEEP_PACKAGE_CHECK) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
console.log(`\npackage checks (${((Date.now() - started) / 1000).toFixed(0)} s): ${String(passed)} passed, ${String(failed)} failed`);
process.exit(failed ? 1 : 0);
