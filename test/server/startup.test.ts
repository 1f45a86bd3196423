import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/clock.js';
import { EnvError, parseEnv } from '../../src/server/env.js';
import { startServer } from '../../src/server/server.js';
import { demoAddons, demoPlans } from '../../src/server/seed/catalog.js';
import { backends } from './harness.js';

describe('environment', () => {
  it('has the documented defaults', () => {
    expect(parseEnv({})).toMatchObject({ PORT: 8787, HOST: '127.0.0.1', PAYLIT_DATA_DIR: '.paylit', PAYLIT_SEED_DEMO: true, PAYLIT_ALLOWED_ORIGINS: [] });
  });
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['PAYLIT_API_KEY', { PAYLIT_API_KEY: 'short' }],
    ['PAYLIT_ALLOWED_ORIGINS', { PAYLIT_ALLOWED_ORIGINS: 'https://ok.example,not an origin' }],
    ['PAYLIT_ALLOWED_ORIGINS', { PAYLIT_ALLOWED_ORIGINS: 'https://shop.example/path' }],
    ['PAYLIT_SEED_DEMO', { PAYLIT_SEED_DEMO: 'perhaps' }],
    ['PAYLIT_WEBHOOK_URL', { PAYLIT_WEBHOOK_URL: 'nope' }],
  ])('a bad %s stops it with a message naming it', (name, env) => {
    expect(() => parseEnv(env)).toThrow(EnvError);
    expect(() => parseEnv(env)).toThrow(name);
  });
  it.each([
    ['https://shop.example/', 'PAYLIT_ALLOWED_ORIGINS.0: "https://shop.example/" is not an origin such as https://shop.example (scheme, host and optional port; no path): drop the trailing "/"'],
    ['http://localhost:3000/app', 'PAYLIT_ALLOWED_ORIGINS.0: "http://localhost:3000/app" is not an origin such as https://shop.example (scheme, host and optional port; no path): drop "/app"'],
    ['https://ok.example,shop.example', 'PAYLIT_ALLOWED_ORIGINS.1: "shop.example" is not an origin such as https://shop.example (scheme, host and optional port; no path): did you mean https://shop.example?'],
    ['localhost:3000', 'PAYLIT_ALLOWED_ORIGINS.0: "localhost:3000" is not an origin such as https://shop.example (scheme, host and optional port; no path): did you mean http://localhost:3000?'],
    ['127.0.0.1:5173/', 'PAYLIT_ALLOWED_ORIGINS.0: "127.0.0.1:5173/" is not an origin such as https://shop.example (scheme, host and optional port; no path): did you mean http://127.0.0.1:5173?'],
    ['not an origin', 'PAYLIT_ALLOWED_ORIGINS.0: "not an origin" is not an origin such as https://shop.example (scheme, host and optional port; no path)'],
    ['https://a.example http://localhost:3000', 'PAYLIT_ALLOWED_ORIGINS.0: "https://a.example http://localhost:3000" is not an origin such as https://shop.example (scheme, host and optional port; no path): separate origins with commas'],
    ['https://a.example;https://b.example', 'PAYLIT_ALLOWED_ORIGINS.0: "https://a.example;https://b.example" is not an origin such as https://shop.example (scheme, host and optional port; no path): separate origins with commas'],
    ['HTTP://Shop.Example', 'PAYLIT_ALLOWED_ORIGINS.0: "HTTP://Shop.Example" is not an origin such as https://shop.example (scheme, host and optional port; no path): write it as http://shop.example'],
  ])('an origin that is not one (%s) is quoted, with what to drop or the origin it likely means', (value, line) => {
    expect(() => parseEnv({ PAYLIT_ALLOWED_ORIGINS: value })).toThrow(`Bad environment:\n  ${line}`);
  });
  it('reads a comma-separated origin list', () => {
    expect(parseEnv({ PAYLIT_ALLOWED_ORIGINS: 'https://a.example, http://localhost:3000' }).PAYLIT_ALLOWED_ORIGINS).toEqual(['https://a.example', 'http://localhost:3000']);
  });
});

describe.each(backends)('start-up on $kind', (backend) => {
  it('seeds the demo catalog on an empty database, once', async () => {
    const s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
    try {
      expect(s.seeded).toBe(true);
      const plans = await s.api('/api/v2/plans?limit=100');
      expect((await plans.json()).list).toHaveLength(demoPlans.length);
      const { plan } = await s.cb.plan.retrieve('credits-starter');
      expect(plan).toMatchObject({ price: 0, addon_required: true, addon_applicability: 'restricted' });
      const { addon } = await s.cb.addon.retrieve('credits-500');
      expect(addon).toMatchObject({ type: 'quantity', charge_type: 'non_recurring', meta_data: { credits: 500 } });
      const addons = await s.api('/api/v2/addons?limit=100');
      expect((await addons.json()).list).toHaveLength(demoAddons.length);
    } finally {
      await s.close();
    }
  });
});

describe('site keys on SQLite', () => {
  it('generates keys once and keeps them across restarts; keys from the environment replace them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paylit-keys-'));
    const clock = new ManualClock();
    const run = async (env: Record<string, string> = {}) => {
      const s = await startServer({ env: parseEnv({ PORT: '0', PAYLIT_DATA_DIR: dir, ...env }), clock, log: () => {} });
      await s.close();
      return s;
    };
    try {
      const first = await run();
      expect(first.site.api_key).toMatch(/^test_sk_/);
      expect(first.site.publishable_key).toMatch(/^test_pk_/);
      const second = await run();
      expect(second.site.api_key).toBe(first.site.api_key);
      expect(second.seeded).toBe(false);
      const third = await run({ PAYLIT_API_KEY: 'merchant_chosen_secret_1', PAYLIT_PUBLISHABLE_KEY: 'merchant_chosen_public_1' });
      expect(third.site).toMatchObject({ api_key: 'merchant_chosen_secret_1', publishable_key: 'merchant_chosen_public_1' });
      expect((await run()).site.api_key).toBe('merchant_chosen_secret_1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
