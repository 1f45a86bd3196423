import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { backends, type TestServer } from './harness.js';

const estimate = (url: string, key: string, coupon: string) =>
  fetch(`${url}/api/v2/estimates/create_subscription`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'subscription[plan_id]': 'hustle-monthly', 'coupon_ids[0]': coupon }),
  });

// Coupons are read by concurrent estimates through one shared query on PostgreSQL (shared-gets.ts): each must still
// see what another instance committed before it arrived.
describe.each(backends)('coupons an estimate reads, changed on another instance, on $kind', (backend) => {
  let s: TestServer;
  let twin: RunningServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
    twin = await s.twin();
  });
  afterAll(async () => {
    await twin.close();
    await s.close();
  });
  const onTwin = (path: string, form?: Record<string, string>) =>
    fetch(`${twin.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${s.site.api_key}:`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form ?? {}),
    });
  const many = async (coupon: string) => Promise.all(Array.from({ length: 20 }, () => estimate(s.url, s.site.api_key, coupon)));
  const discounts = async (rs: Response[]) => Promise.all(rs.map(async (r) => (r.status === 200 ? ((await r.json()) as { estimate: { invoice_estimate: { discounts?: Array<{ amount: number }> } } }).estimate.invoice_estimate.discounts?.[0]?.amount : r.status)));

  it('a coupon created, then deleted, through the other instance is what the next concurrent estimates find', async () => {
    expect(new Set(await discounts(await many('HALF-OFF')))).toEqual(new Set([400]));
    expect((await onTwin('/api/v2/coupons', { id: 'HALF-OFF', name: 'Half off', discount_type: 'percentage', discount_percentage: '50', duration_type: 'forever' })).status).toBe(200);
    const off = await discounts(await many('HALF-OFF'));
    expect(off.every((x) => typeof x === 'number' && x > 0 && x !== 400)).toBe(true);
    expect(new Set(off).size).toBe(1);
    expect((await onTwin('/api/v2/coupons/HALF-OFF/delete')).status).toBe(200);
    expect(new Set(await discounts(await many('HALF-OFF')))).toEqual(new Set([400]));
  });

  it('a coupon code archived on the other instance is refused by the next estimate', async () => {
    expect((await onTwin('/api/v2/coupon_sets', { id: 'set-1', coupon_id: 'WELCOME10', name: 'Set one' })).status).toBe(200);
    expect((await onTwin('/api/v2/coupon_sets/set-1/add_coupon_codes', { 'code[0]': 'CODE-ONE' })).status).toBe(200);
    expect((await many('CODE-ONE')).every((r) => r.status === 200)).toBe(true);
    expect((await onTwin('/api/v2/coupon_codes/CODE-ONE/archive')).status).toBe(200);
    const after = await many('CODE-ONE');
    expect(after.map((r) => r.status)).toEqual(after.map(() => 400));
  });
});
