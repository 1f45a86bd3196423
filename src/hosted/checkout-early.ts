/**
 * `dist/hosted/checkout-early.js`: the checkout's data asked for as soon as the page's head is parsed, beside its
 * scripts rather than after them. The page's own script (checkout.ts) first evaluates what it imports (Lit, zod, the
 * elements), and on a first visit waits for those files, so its own request for the data came a round trip later.
 *
 * The server cannot write the data into the page it serves: the page's token is in the URL's fragment, which the
 * browser never sends, and without it the page's id alone must reveal nothing. So the page asks for it, with the
 * token, as early as it can: this file is an async module with no imports, run the moment it arrives (from the cache
 * after the first visit, under its version). It makes the very request HttpAdapter.readHostedPage's first attempt
 * makes (the same URL, headers and credentials); that attempt takes it over, once (checkout.ts), and checks the answer
 * as it checks any (its status, its JSON, the browser's zod view), so a page already paid or expired shows so, and a
 * reload asks again. Asked only where the page will render (embedding.ts's rule, restated, since a shared module would be
 * a chunk to wait for; checkout-load.spec.ts holds the two together): opening the page moves it
 * from created to requested.
 */

/** The request made here, for checkout.ts to take over. */
export interface EarlyRead {
  url: string;
  token: string;
  response: Promise<Response>;
}

declare global {
  interface Window {
    paylitEarly?: EarlyRead | undefined;
  }
}

const params = new URLSearchParams(location.hash.slice(1));
const token = params.get('token');
const origin = params.get('origin') ?? '';
const allowed = (document.querySelector<HTMLMetaElement>('meta[name="paylit-allowed-origins"]')?.content ?? '').split(' ').filter(Boolean);
const parent = location.ancestorOrigins?.[0];
const framed = window.parent !== window;
if (token && (!framed || ((allowed.includes(origin) || origin === location.origin) && (parent === undefined || parent === origin)))) {
  const id = decodeURIComponent(location.pathname.split('/').pop() ?? '');
  const url = `${location.origin}/api/browser/v2/hosted_pages/${encodeURIComponent(id)}`;
  const response = fetch(url, { method: 'GET', headers: { Accept: 'application/json', 'X-Paylit-Hosted-Page-Token': token }, credentials: 'omit' });
  // Taken over by checkout.ts; a failure here is its attempt's failure, retried there.
  response.catch(() => {});
  window.paylitEarly = { url, token, response };
}
