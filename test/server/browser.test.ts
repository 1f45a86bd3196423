import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ORIGIN, PUBLISHABLE_KEY, type TestServer } from './harness.js';

describe.each(backends)('browser-facing catalog on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true', PAYLIT_BROWSER_RATE_LIMIT: '20' });
  });
  afterAll(async () => {
    await s.close();
  });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(s.url + path, { headers: { 'x-paylit-publishable-key': PUBLISHABLE_KEY, ...headers } });

  it('returns active plans enabled in hosted pages and the addons in their currencies, without internal fields', async () => {
    await s.cb.plan.create({ id: 'hidden', name: 'Hidden', enabled_in_hosted_pages: false });
    await s.cb.plan.create({ id: 'accounted', name: 'Accounted', sku: 'SKU-1', accounting_code: '4000' });
    const res = await get('/api/browser/v2/catalog');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { plans: Array<Record<string, unknown>>; addons: Array<Record<string, unknown>> };
    const ids = body.plans.map((p) => p.id);
    expect(ids).toContain('credits-starter');
    expect(ids).not.toContain('hidden');
    expect(body.plans.find((p) => p.id === 'accounted')).not.toHaveProperty('sku');
    expect(body.plans.find((p) => p.id === 'accounted')).not.toHaveProperty('accounting_code');
    expect(body.addons.map((a) => a.id)).toEqual(expect.arrayContaining(['credits-100', 'credits-500', 'credits-2000']));
    const eur = (await (await get('/api/browser/v2/catalog?currency_code=EUR')).json()) as typeof body;
    expect(eur.plans.every((p) => p.currency_code === 'EUR')).toBe(true);
    expect(eur.addons.every((a) => a.currency_code === 'EUR')).toBe(true);
  });

  it('is authorised by the publishable key only: the secret key or no key gets 401', async () => {
    expect((await fetch(`${s.url}/api/browser/v2/catalog`)).status).toBe(401);
    expect((await get('/api/browser/v2/catalog', { 'x-paylit-publishable-key': s.site.api_key })).status).toBe(401);
    const basic = await fetch(`${s.url}/api/browser/v2/catalog`, { headers: { authorization: `Basic ${Buffer.from(`${PUBLISHABLE_KEY}:`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    // And the publishable key opens none of the secret-key API.
    expect((await s.api('/api/v2/plans', { key: PUBLISHABLE_KEY })).status).toBe(401);
  });

  it('allows CORS only for PAYLIT_ALLOWED_ORIGINS', async () => {
    const ok = await get('/api/browser/v2/catalog', { origin: ORIGIN });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const preflight = await fetch(`${s.url}/api/browser/v2/catalog`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Paylit-Publishable-Key');
    // Another origin gets the refusal only (readable there, so its developer reads why), and no preflight passes.
    const evil = await get('/api/browser/v2/catalog', { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ api_error_code: 'origin_not_allowed', message: "The origin https://evil.example is not in this site's allowed origins (PAYLIT_ALLOWED_ORIGINS): add it there and restart the backend" });
    const evilPreflight = await fetch(`${s.url}/api/browser/v2/catalog`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(evilPreflight.status).toBe(403);
    expect(evilPreflight.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 30; i++) {
      const r = await get('/api/browser/v2/catalog');
      statuses.push(r.status);
      if (r.status === 429) retryAfter ??= r.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((x) => x === 200).length).toBeLessThanOrEqual(20);
  });
});
