import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  type: string;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
  customElements: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

/** The source a built module comes from (lib/ is tsconfig.build.json's output of src/). */
const source = (target: string) => target.replace(/^\.\/lib\//, 'src/').replace(/\.d\.ts$|\.js$/, '.ts');

describe('package.json', () => {
  it('is the ESM package "paylit" with its entry points (the adapter for pages that build their own checkout)', () => {
    expect(pkg.name).toBe('paylit');
    expect(pkg.type).toBe('module');
    const entries = ['.', './adapter', './elements', './elements/*', './global', './merchant', './server'];
    const files = ['./custom-elements.json', './dist/*', './package.json'];
    expect(Object.keys(pkg.exports).sort()).toEqual([...entries, ...files].sort());
    for (const entry of entries) expect(Object.keys(pkg.exports[entry]!), entry).toEqual(['types', 'default']); // types first
    expect(pkg.customElements).toBe('custom-elements.json');
    expect(pkg.bin).toEqual({ 'paylit-server': 'lib/server/bin.js' });
  });
  it('every module export is built from a source that exists (test/package-check.mjs checks the built files)', () => {
    for (const [entry, targets] of Object.entries(pkg.exports)) {
      if (typeof targets === 'string') continue;
      for (const target of Object.values(targets)) {
        const src = source(target);
        if (src.includes('*')) expect(existsSync(join(root, 'src/components/plan-picker/plan-picker.ts')), entry).toBe(true);
        else expect(existsSync(join(root, src)), `${entry} -> ${target} (from ${src})`).toBe(true);
      }
    }
    expect(existsSync(join(root, source(`./${pkg.bin['paylit-server']!}`)))).toBe(true);
  });
  it('pins exact versions for development and ranges for what the package needs, drivers as optional peers', () => {
    for (const [name, version] of Object.entries(pkg.devDependencies)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies })) expect(version, name).toMatch(/^\^\d+\.\d+\.\d+$/);
    // The browser code depends on these only (card-validator: the card frame, and the server's same checks;
    // postcode-validator: the address element's postal-code formats); hono, kysely and pdfkit (invoice PDFs) serve `paylit/server` and
    // `paylit/merchant` (plain JavaScript, never in a bundle); the database drivers are optional peers, loaded by dialect,
    // so a browser-only project compiles no native module (README, "What gets installed").
    const browser = ['@floating-ui/dom', 'card-validator', 'lit', 'postcode-validator', 'zod'];
    const server = ['@hono/node-server', 'hono', 'kysely', 'pdfkit'];
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...browser, ...server].sort());
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['better-sqlite3', 'pg']);
    for (const name of ['better-sqlite3', 'pg']) {
      expect(pkg.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(`^${pkg.devDependencies[name]!}`, `${name}: the repository develops against the peer range's floor`).toBe(pkg.peerDependencies[name]);
    }
  });
  it('the "." entry is the core', async () => {
    const core = await import('../../src/core/index.js');
    expect(typeof core.estimateNewSubscription).toBe('function');
  });
});

describe('the README', () => {
  // Each README example is a file under test/types (which tsc checks) below its first line, a comment.
  const examples: Record<string, [path: string, opening: string]> = {
    'paylit/merchant': ['test/types/readme-merchant.ts', "import { createServer } from 'node:http';\nimport Chargebee"],
    'paylit/server': ['test/types/readme-server.ts', "import { EnvError, MissingDriverError, parseEnv, startServer } from 'paylit/server';"],
    'after the payment': ['test/types/readme-after-payment.ts', "import type Chargebee from 'chargebee';\n"],
    'plan and addon pickers': ['test/types/readme-pickers.ts', "import 'paylit/elements';\nimport { HttpAdapter } from 'paylit/adapter';"],
  };
  for (const [name, [path, opening]] of Object.entries(examples)) {
    it(`carries the ${name} example exactly as ${path}, which tsc checks`, () => {
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      const start = readme.indexOf(opening);
      expect(start).toBeGreaterThan(0);
      const file = readFileSync(join(root, path), 'utf8');
      expect(file.slice(file.indexOf('\n') + 1)).toBe(readme.slice(start, readme.indexOf('```', start)));
    });
  }

  it('says how to start the backend from the package, and what the portal and the allowed origins need', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const use = readme.slice(readme.indexOf('## Use it in your project'), readme.indexOf('## Requirements'));
    for (const text of ['npm install paylit better-sqlite3', 'npx paylit-server', '<script src=', 'npm install paylit\n', 'the portal session object', 'PAYLIT_ALLOWED_ORIGINS', 'frame-ancestors', 'blocked by\n  CORS policy']) {
      expect(use, text).toContain(text);
    }
  });

  it('shows a screenshot of every demo step, light and dark, desktop and phone, and each exists', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const shots = [...readme.matchAll(/demo\/screenshots\/([\w-]+\.png)/g)].map((m) => m[1]!);
    for (const step of ['1-plans', '2-packs', '3-addon-rule', '4-checkout', '5-credited', '6-low-balance', '7-address', '8-portal-packs']) {
      for (const variant of ['desktop-light', 'desktop-dark', 'phone-light', 'phone-dark']) {
        expect(shots).toContain(`${step}-${variant}.png`);
        expect(existsSync(join(root, 'demo/screenshots', `${step}-${variant}.png`))).toBe(true);
      }
    }
  });

  it("shows every portal section, light and dark, desktop and phone, and every picture it names exists", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const named = [...readme.matchAll(/demo\/screenshots\/([\w/-]+\.png)/g)].map((m) => m[1]!);
    for (const shot of named) expect(existsSync(join(root, 'demo/screenshots', shot)), shot).toBe(true);
    const sections = ['sub-details', 'sub-cancel', 'edit-subscription', 'scheduled-changes', 'payment-sources', 'add-payment-source', 'billing-history', 'account-details', 'edit-account-details'];
    for (const section of sections) {
      for (const variant of ['desktop-light', 'desktop-dark', 'phone-light', 'phone-dark']) expect(named).toContain(`portal/${section}-${variant}.png`);
    }
  });
});
