import { expect, test } from '@playwright/test';
import { BACKEND_URL } from './playwright.config.js';

// What the backend tells browsers and CDNs to keep, file by file, as a person's browser asks: compressed, and asked
// again with the ETag once its time is up (a 304, no body, while the file has not changed).
test.describe.configure({ mode: 'serial' });

const gzip = { 'Accept-Encoding': 'gzip' };

test('the script tag, its UI module and the hosted page scripts: gzip, their cache lifetime, and a 304 for an unchanged ETag', async ({ request }) => {
  const page = await request.get(`${BACKEND_URL}/hosted/card-frame`);
  expect(page.status()).toBe(200);
  // The page names its script with its version (the hash of its content), kept for good under it, as its chunks are;
  // asked for without it, or with another, the script is asked for again each time.
  const [, entry, version] = /src="\/hosted\/([^"?]+\.js)\?v=([\w-]+)"/.exec(await page.text())!;
  const cases: Array<[string, RegExp]> = [
    ['/paylit.js', /^public, max-age=300$/],
    ['/paylit-ui.js', /^public, max-age=300$/],
    [`/hosted/${entry!}?v=${version!}`, /^public, max-age=31536000, immutable$/],
    [`/hosted/${entry!}`, /^no-cache$/],
    [`/hosted/${entry!}?v=an-older-one`, /^no-cache$/],
  ];
  for (const [path, cacheControl] of cases) {
    const first = await request.get(BACKEND_URL + path, { headers: gzip });
    expect(first.status(), path).toBe(200);
    const h = first.headers();
    expect(h['content-encoding'], path).toBe('gzip');
    expect(h['cache-control'], path).toMatch(cacheControl);
    expect(h['etag'], `${path} has an ETag`).toMatch(/^(W\/)?"[^"]+"$/);
    const again = await request.get(BACKEND_URL + path, { headers: { ...gzip, 'If-None-Match': h['etag']! } });
    expect(again.status(), `${path} unchanged`).toBe(304);
    expect((await again.body()).length, path).toBe(0);
    const other = await request.get(BACKEND_URL + path, { headers: { ...gzip, 'If-None-Match': '"not-this-one"' } });
    expect(other.status(), `${path} with another ETag`).toBe(200);
  }
});
