import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  type: string;
  exports: Record<string, Record<string, string>>;
  customElements: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('package.json', () => {
  it('is the ESM package "paylit" with its entry points (the adapter for pages that build their own checkout)', () => {
    expect(pkg.name).toBe('paylit');
    expect(pkg.type).toBe('module');
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './adapter', './elements', './global', './merchant', './server']);
    expect(pkg.customElements).toBe('custom-elements.json');
    expect(Object.keys(pkg.exports['./global']!)).toEqual(['types']);
  });
  it('every export target exists', () => {
    for (const [entry, targets] of Object.entries(pkg.exports)) {
      for (const target of Object.values(targets)) expect(existsSync(join(root, target)), `${entry} -> ${target}`).toBe(true);
    }
  });
  it('pins exact versions', () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    // The browser code depends on these only (card-validator: the card frame, and the server's same checks;
    // postcode-validator: the address element's postal-code formats); the
    // rest serve `paylit/server` and never reach a bundle.
    const browser = ['@floating-ui/dom', 'card-validator', 'lit', 'postcode-validator', 'zod'];
    const server = ['@hono/node-server', 'better-sqlite3', 'hono', 'kysely', 'pg'];
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...browser, ...server].sort());
  });
  it('the "." entry is the core', async () => {
    const core = await import('../../src/core/index.js');
    expect(typeof core.estimateNewSubscription).toBe('function');
  });
});

describe('the README', () => {
  it("carries the paylit/merchant example exactly as test/types/readme-merchant.ts, which tsc checks", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf("import { createServer } from 'node:http';\nimport Chargebee");
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start, readme.indexOf('```', start));
    const file = readFileSync(join(root, 'test/types/readme-merchant.ts'), 'utf8');
    expect(file.slice(file.indexOf('\n') + 1)).toBe(block);
  });

  it('shows a screenshot of every demo step, light and dark, desktop and phone, and each exists', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const shots = [...readme.matchAll(/demo\/screenshots\/([\w-]+\.png)/g)].map((m) => m[1]!);
    for (const step of ['1-plans', '2-packs', '3-addon-rule', '4-checkout', '5-credited', '6-low-balance', '7-address']) {
      for (const variant of ['desktop-light', 'desktop-dark', 'phone-light', 'phone-dark']) {
        expect(shots).toContain(`${step}-${variant}.png`);
        expect(existsSync(join(root, 'demo/screenshots', `${step}-${variant}.png`))).toBe(true);
      }
    }
  });
});
