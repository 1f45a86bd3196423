/**
 * Every sample request the seeds print, replayed as curl sends it (form-encoded, Basic auth, /api/v1), and its
 * response compared field by field with the seed's sample response. Only addons-api-v1.txt prints samples; the other
 * seeds' "Sample Request" headings have no request under them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestServer } from './harness.js';

/** The sample responses, exactly as addons-api-v1.txt prints them (the list's elided `{..}` entries left out). */
const SAMPLES = {
  create: '{"addon": { "id": "sms_pack", "name": "Sms Pack", "invoice_name": "sample data pack", "type": "on_off", "charge_type": "recurring", "price": 200, "period": 1, "period_unit": "month", "status": "active", "enabled_in_portal": true, "object": "addon", "taxable": true }}',
  update: '{"addon": { "id": "ssl", "name": "SSL", "invoice_name": "sample data pack", "type": "on_off", "charge_type": "recurring", "price": 495, "period": 1, "period_unit": "month", "status": "active", "enabled_in_portal": true, "object": "addon", "taxable": true }}',
  list: '{ "list": [ {"addon": { "id": "sms_pack", "name": "Sms Pack", "invoice_name": "sample data pack", "type": "on_off", "charge_type": "recurring", "price": 200, "period": 1, "period_unit": "month", "status": "active", "enabled_in_portal": true, "object": "addon", "taxable": true }} ], "next_offset": "[\\"77000000061\\"]" }',
  retrieve: '{"addon": { "id": "ssl", "name": "SSL", "invoice_name": "sample data pack", "type": "on_off", "charge_type": "recurring", "price": 495, "period": 1, "period_unit": "month", "status": "active", "enabled_in_portal": true, "object": "addon", "taxable": true }}',
  delete: '{"addon": { "id": "ssl", "name": "SSL", "invoice_name": "sample data pack", "type": "on_off", "charge_type": "recurring", "price": 495, "period": 1, "period_unit": "month", "status": "deleted", "enabled_in_portal": true, "object": "addon", "taxable": true }}',
} as const;

type Json = Record<string, unknown>;
const sample = (k: keyof typeof SAMPLES) => JSON.parse(SAMPLES[k]) as Json;

/** Each field of the sample, at its path, beside ours: a list of differences (empty when every field matches). */
function differences(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => differences(v, (actual as Json)[k], path ? `${path}.${k}` : k));
  }
  return expected === actual ? [] : [`${path}: the seed says ${JSON.stringify(expected)}, the backend ${JSON.stringify(actual)}`];
}

describe.each(backends)('the seeds\' sample requests on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start();
    // The site the samples run on already has ssl (SSL, 4.95 a month) and other addons; sms_pack is made by the first.
    for (let i = 0; i < 5; i++) await curl('POST', '/addons', { id: `other_${String(i)}`, name: `Other ${String(i)}`, charge_type: 'recurring' });
    await curl('POST', '/addons', { id: 'ssl', name: 'SSL', charge_type: 'recurring', price: '495', period: '1', period_unit: 'month' });
    s.clock.advance(60);
  });
  afterAll(async () => {
    await s.close();
  });

  /** curl's -d pairs, as a form body to /api/v1 with the key as the Basic user (`-u {site_api_key}:`). */
  const curl = async (method: 'GET' | 'POST', path: string, data: Record<string, string> = {}) => {
    const qs = new URLSearchParams(data).toString();
    const res = method === 'GET' ? await s.api(`/api/v1${path}${qs ? `?${qs}` : ''}`) : await s.api(`/api/v1${path}`, { form: data });
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  };

  it('create: POST /api/v1/addons with the sample\'s -d pairs', async () => {
    const body = await curl('POST', '/addons', { id: 'sms_pack', name: 'Sms Pack', invoice_name: 'sample data pack', charge_type: 'recurring', price: '200', period: '1', period_unit: 'month' });
    expect(differences(sample('create'), body)).toEqual([]);
  });

  it('update: POST /api/v1/addons/ssl -d invoice_name', async () => {
    const body = await curl('POST', '/addons/ssl', { invoice_name: 'sample data pack' });
    expect(differences(sample('update'), body)).toEqual([]);
  });

  it('list: GET /api/v1/addons --data-urlencode limit=5 (newest first, as the sample shows sms_pack)', async () => {
    const body = await curl('GET', '/addons', { limit: '5' });
    const { next_offset: offset, ...expected } = sample('list');
    const list = body.list as Json[];
    expect(list).toHaveLength(5);
    expect(differences((expected.list as Json[])[0], list[0])).toEqual([]);
    // The offset is opaque: a string, as the sample's, that fetches the rest.
    expect(typeof offset).toBe('string');
    expect(typeof body.next_offset).toBe('string');
    const rest = await curl('GET', '/addons', { limit: '5', offset: body.next_offset as string });
    expect((rest.list as Json[]).length).toBe(2);
    expect(rest.next_offset).toBeUndefined();
  });

  it('retrieve: GET /api/v1/addons/ssl', async () => {
    expect(differences(sample('retrieve'), await curl('GET', '/addons/ssl'))).toEqual([]);
  });

  it('delete: POST /api/v1/addons/ssl/delete (no subscription or invoice links it, so it is deleted)', async () => {
    expect(differences(sample('delete'), await curl('POST', '/addons/ssl/delete'))).toEqual([]);
  });

  it('the comparison itself sees a difference', () => {
    expect(differences(sample('retrieve'), { addon: { ...(sample('retrieve').addon as Json), price: 496 } })).toEqual(['addon.price: the seed says 495, the backend 496']);
  });
});
