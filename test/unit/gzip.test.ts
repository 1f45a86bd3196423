import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipCache } from '../../src/server/http/gzip.js';

describe('the built files gzipped', () => {
  it('goes by Accept-Encoding: gzip when offered (with any q above 0), not when refused or absent', () => {
    for (const h of ['gzip, deflate, br', 'br, gzip', 'gzip;q=0.5', 'GZIP']) expect(acceptsGzip(h), h).toBe(true);
    for (const h of ['gzip;q=0', 'gzip;q=0.0, br', 'deflate', 'x-gzip', '', undefined]) expect(acceptsGzip(h), String(h)).toBe(false);
  });

  it('compresses a file once per content, and again when the file under that name has changed', async () => {
    const gzipped = gzipCache();
    const a = new TextEncoder().encode('export const a = 1;'.repeat(100));
    const first = await gzipped('x.js', a);
    expect(gunzipSync(first).equals(Buffer.from(a))).toBe(true);
    expect(await gzipped('x.js', new Uint8Array(a))).toBe(first);
    const b = new TextEncoder().encode('export const b = 2;'.repeat(100));
    expect(gunzipSync(await gzipped('x.js', b)).toString()).toBe('export const b = 2;'.repeat(100));
  });
});
