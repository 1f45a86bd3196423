import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../src/server/env.js';
import { API_KEY, backends, type TestServer } from './harness.js';

describe('whom the customer pays: the site branding in the environment', () => {
  it.each([
    ['PAYLIT_SITE_NAME', ''],
    ['PAYLIT_SITE_NAME', 'x'.repeat(101)],
    ['PAYLIT_SITE_LOGO_URL', 'logo.png'],
    ['PAYLIT_SITE_LOGO_URL', 'javascript:alert(1)'],
    ['PAYLIT_SITE_ACCENT', 'red'],
    ['PAYLIT_SITE_ACCENT', '#12345'],
  ])('refuses %s=%j, naming it', (name, value) => {
    // An empty string means "not set" for every variable, so the empty name is given as spaces.
    const env = { [name]: value === '' ? '   ' : value };
    expect(() => parseEnv(env)).toThrow(EnvError);
    expect(() => parseEnv(env)).toThrow(name);
  });
});

describe.each(backends)('the site branding on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true', PAYLIT_SITE_NAME: 'Inkwell', PAYLIT_SITE_ACCENT: '#0f766e' });
  });
  afterAll(async () => {
    await s.close();
  });
  const api = (method: string, body?: Record<string, string>) =>
    fetch(`${s.url}/api/v2/site`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, ...(body && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(body && { body: new URLSearchParams(body).toString() }),
    });

  it('starts with the environment\'s; the API changes it (checked, naming the field); the hosted pages and the checkout view show it', async () => {
    expect((await (await api('GET')).json()).site).toEqual({
      id: s.site.id, display_name: 'Inkwell', accent_color: '#0f766e', portal_cancel: 'end_of_term', portal_change: 'immediately', portal_reactivate: true, object: 'site',
    });
    const bad = await api('POST', { accent_color: 'teal', logo_url: 'ftp://x' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).param).toBe('logo_url');
    expect((await (await api('GET')).json()).site.accent_color).toBe('#0f766e');
    const ok = await api('POST', { display_name: 'Inkwell Ltd', logo_url: 'https://cdn.example/inkwell.svg' });
    expect((await ok.json()).site).toMatchObject({ display_name: 'Inkwell Ltd', logo_url: 'https://cdn.example/inkwell.svg', accent_color: '#0f766e' });
    // The shell names the site, carries its branding, and lets its logo's origin (only) load.
    const { hosted_page } = await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' } });
    const page = await fetch(hosted_page.url!);
    const html = await page.text();
    expect(html).toContain('<title>Checkout · Inkwell Ltd</title>');
    expect(html).toContain('name="paylit-site"');
    expect(page.headers.get('content-security-policy')).toContain("img-src 'self' data: https://cdn.example;");
    const token = new URL(hosted_page.url!).hash.replace('#token=', '');
    const view = await (await fetch(`${s.url}/api/browser/v2/hosted_pages/${hosted_page.id}`, { headers: { 'x-paylit-hosted-page-token': token, origin: s.url } })).json();
    expect(view.site).toEqual({ display_name: 'Inkwell Ltd', logo_url: 'https://cdn.example/inkwell.svg', accent_color: '#0f766e' });
    // An empty value clears the logo.
    expect((await (await api('POST', { logo_url: '' })).json()).site.logo_url).toBeUndefined();
    expect((await api('GET')).status).toBe(200);
    expect((await fetch(`${s.url}/api/v2/site`)).status).toBe(401);
  });
});
