import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { etag } from 'hono/etag';
import type { SiteBranding } from '../../core/schemas/site.js';
import type { Deps } from '../context.js';
import { contentHash, hostedBuild } from '../hosted-build.js';
import { acceptsGzip, gzipCache } from '../http/gzip.js';
import { readBranding } from '../site.js';

/** Where `npm run build` puts the hosted pages' scripts, and the script tag's two files. */
const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));
const HOSTED_DIR = `${DIST}hosted/`;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const escapeAttr = (s: string) => s.replace(/[&"<>]/g, (c) => `&#${String(c.charCodeAt(0))};`);
/**
 * What the checkout imports beside its data (its address form, a chunk it shares with the portal): preloaded with its
 * page. Its pricing engine and templates are in its own script (src/hosted/checkout.ts).
 */
const CHECKOUT_LAZY = ['src/components/address/address-form.ts'];

/**
 * The pages the backend serves from its own origin. Each is a tiny HTML shell around a built script, under a strict
 * Content-Security-Policy: scripts and requests only to this origin, no inline code, and embeddable only by this
 * origin and the site's allowed origins (frame-ancestors covers every ancestor, the merchant's page included).
 */
export function hostedRoutes(d: Deps): Hono {
  const app = new Hono();
  const ancestors = ["'self'", ...d.allowedOrigins].join(' ');
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');

  const secure = (c: Context, logo?: string) => {
    // A merchant's logo on another origin may be shown (and nothing else from there).
    c.header('Content-Security-Policy', logo ? csp.replace("img-src 'self' data:", `img-src 'self' data: ${new URL(logo).origin}`) : csp);
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
  };
  const build = hostedBuild(HOSTED_DIR);
  const gzipped = gzipCache();
  /** A file's body as the request takes it: gzipped where it may be (Vary, so a cache keeps each encoding apart). */
  const encoded = async (c: Context, name: string, body: Uint8Array<ArrayBuffer>) => {
    c.header('Vary', 'Accept-Encoding');
    if (!acceptsGzip(c.req.header('accept-encoding'))) return body;
    c.header('Content-Encoding', 'gzip');
    return gzipped(name, body);
  };
  /** A page's script under its version (`?v=`), which the browser then keeps as it keeps a chunk. */
  const entryUrl = async (file: string) => {
    const v = await build.version(file);
    return `/hosted/${file}${v ? `?v=${v}` : ''}`;
  };
  /**
   * A page shell: its script, the origins it may talk to (the hosted page posts only to one of them) and, for the
   * checkout and the portal, whom the customer pays (name, logo, accent), so the page heads itself at once.
   */
  const shell = async (title: string, script: string, head = '', site?: SiteBranding) =>
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="robots" content="noindex"><meta name="paylit-allowed-origins" content="${escapeAttr(d.allowedOrigins.join(' '))}">` +
    (site ? `<meta name="paylit-site" content="${escapeAttr(JSON.stringify(site))}">` : '') +
    `<title>${escapeAttr(site ? `${title} · ${site.display_name}` : title)}</title>${head}<link rel="icon" href="data:,"><script type="module" src="${await entryUrl(`${script}.js`)}"></script></head><body></body></html>`;
  /** The stylesheet, and the chunks the page's script will import (the build's manifest names them), fetched beside it. */
  const head = async (entry: string, lazy?: readonly string[]) =>
    `<link rel="stylesheet" href="/hosted/page.css?v=${PAGE_CSS_VERSION}">` +
    (await build.preloads(entry, lazy)).map((f) => `<link rel="modulepreload" href="/hosted/${escapeAttr(f)}">`).join('');

  app.get('/hosted/card-frame', async (c) => {
    secure(c);
    return c.html(await shell('Card details', 'card-frame'));
  });

  // The checkout and the portal: the id is in the path, the token in the fragment (never sent to a server).
  app.get('/hosted/checkout/:id{[A-Za-z0-9_-]{1,100}}', async (c) => {
    const site = await readBranding(d.storage.db, d.site.id);
    secure(c, site.logo_url);
    const early = `<script type="module" async src="${await entryUrl('checkout-early.js')}"></script>`;
    return c.html(await shell('Checkout', 'checkout', early + (await head('src/hosted/checkout.ts', CHECKOUT_LAZY)), site));
  });
  // The warm-up (the script tag's, on a customer's intent: a pointer over a drop-in button, or focus on it): the
  // checkout's files, fetched by a hidden frame of this origin in the shop's page, so they land in the browser's cache
  // partition the checkout frame will read (the shop's site, this frame's), with a connection open. Prefetched, not
  // preloaded: into the cache only, not parsed, since this frame and the checkout frame share one main thread (one
  // site's frames in a tab), and a click right after the hover would wait for this frame's parsing first. Nothing
  // runs, no page is made and no data is read; this short page, the same for every shop, only names the files (so a
  // cache may keep it a while: a stale one fetches files no longer used, nothing worse).
  app.get('/hosted/warm', async (c) => {
    secure(c);
    c.header('Cache-Control', 'public, max-age=300');
    const files = [await entryUrl('checkout-early.js'), await entryUrl('checkout.js'), `/hosted/page.css?v=${PAGE_CSS_VERSION}`, ...(await build.preloads('src/hosted/checkout.ts', CHECKOUT_LAZY)).map((f) => `/hosted/${f}`)];
    const links = files.map((u) => `<link rel="prefetch" href="${escapeAttr(u)}">`).join('');
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Paylit</title>${links}</head></html>`);
  });
  app.get('/hosted/portal/:id{[A-Za-z0-9_-]{1,100}}', async (c) => {
    const site = await readBranding(d.storage.db, d.site.id);
    secure(c, site.logo_url);
    // The test gateway moves no real money: the portal says "Test mode" by the merchant's name, as the checkout does
    // (its view's test_mode); the portal has no view of its own before its header is drawn, so the shell says it.
    const test = d.gateway.live ? '' : '<meta name="paylit-test-mode" content="true">';
    return c.html(await shell('Your account', 'portal', test + (await head('src/hosted/portal.ts')), site));
  });
  app.get('/hosted/page.css', etag(), async (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', c.req.query('v') === PAGE_CSS_VERSION ? IMMUTABLE : 'no-cache');
    return c.body(await encoded(c, 'page.css', PAGE_CSS_BYTES));
  });

  // The script tag, as a CDN would serve it: any page may load it (the UI module is imported cross-origin, so CORS);
  // kept five minutes, then asked for again with its ETag (a 304 while it has not changed).
  app.get('/:file{paylit(-ui)?\\.js(\\.map)?}', etag(), async (c) => {
    const file = c.req.param('file');
    let body: Buffer;
    try {
      body = await readFile(DIST + file);
    } catch {
      return c.text(`${file} is not built: run \`npm run build\``, 503);
    }
    c.header('Content-Type', file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(await encoded(c, file, new Uint8Array(body)));
  });

  // The built scripts: names only from the build (no paths), so nothing else on disk can be reached. A chunk's name
  // changes with its content, so a browser keeps it (the card frame then takes the zod chunk the checkout has just
  // fetched from the cache). A page's own script keeps its name and its page names it with its version (`?v=`, the
  // hash of its content), which is kept as well; asked for without it, or with an older one, it is asked for again
  // each time, and its ETag makes the answer a 304. (A page's script that a chunk imports gets no version: the chunk
  // imports it by its plain URL, and under two URLs it would be two modules.)
  app.get('/hosted/:file{[A-Za-z0-9_][A-Za-z0-9_.-]*\\.js(\\.map)?}', etag(), async (c) => {
    const file = c.req.param('file');
    let body: Buffer;
    try {
      body = await readFile(HOSTED_DIR + file);
    } catch {
      return c.text(`${file} is not built: run \`npm run build\``, 503);
    }
    c.header('Content-Type', file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8');
    c.header('X-Content-Type-Options', 'nosniff');
    const v = c.req.query('v');
    c.header('Cache-Control', (await build.hashed(file)) || (v !== undefined && v === (await build.version(file))) ? IMMUTABLE : 'no-cache');
    return c.body(await encoded(c, `hosted/${file}`, new Uint8Array(body)));
  });

  return app;
}

/**
 * The hosted pages' own look (a file, since the CSP allows no inline style): the elements' tokens (the accent comes
 * from the site's branding as --paylit-color-primary), so the portal's headings, buttons and tabs are the checkout's.
 */
const PAGE_CSS = `:root{color-scheme:light dark;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;
--p:var(--paylit-color-primary,light-dark(#4f46e5,#a5b4fc));--on:var(--paylit-color-on-primary,light-dark(#fff,#11133a));
--text:light-dark(#1f2328,#e6edf3);--muted:light-dark(#57606a,#b1bac4);--surface:light-dark(#fff,#161b22);--border:light-dark(#8c959f,#6e7681);--danger:light-dark(#b42318,#ff9492);color:var(--text)}
body{margin:0;padding:16px 16px 24px}
@media (max-width:599px){body{padding:12px}}
.notice{padding:24px;text-align:center}
.merchant{display:flex;align-items:center;gap:8px;min-height:40px;margin:0 56px 16px 0;font-weight:600;font-size:1.0625rem}
.merchant .logo{height:32px;max-width:160px;object-fit:contain}
.merchant .test{padding:0 8px;border-radius:999px;background:light-dark(#fff1d6,#3d2a05);color:light-dark(#7a4700,#f2cc60);font-size:.75em}
.merchant .mark{display:inline-grid;place-items:center;width:32px;height:32px;border-radius:8px;background:var(--p);color:var(--on)}
.current{border:1px solid var(--border);border-radius:8px;padding:12px 16px;margin:0 0 16px}
.current h2{font-size:1rem;margin:0 0 8px}
.current table{width:100%;border-collapse:collapse}
.current td{padding:4px 0}.current td:last-child{text-align:end;font-variant-numeric:tabular-nums}
.done{padding:24px;text-align:center}
nav.portal{display:flex;gap:4px;margin:0 0 16px;border-bottom:1px solid var(--border);overflow-x:auto;scrollbar-width:none;overscroll-behavior-x:contain}
nav.portal button{flex:none;white-space:nowrap;font:inherit;min-height:44px;padding:0 12px;border:0;border-bottom:3px solid transparent;background:none;color:var(--muted);cursor:pointer}
nav.portal button[aria-current=page]{color:var(--text);border-bottom-color:var(--p);font-weight:600}
main.portal h1{font-size:1.125rem;margin:0 0 12px}
main.portal h1:focus{outline:none}
.portal .actions{display:flex;gap:8px;margin-top:16px}
.portal button:disabled{opacity:.55;cursor:not-allowed}
:where(button,input,select,[tabindex]):focus-visible{outline:3px solid var(--p);outline-offset:2px}
.portal table{width:100%;border-collapse:collapse}.portal th,.portal td{text-align:start;padding:8px 4px;border-bottom:1px solid color-mix(in srgb,var(--border) 40%,transparent)}
.portal dl{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:4px 16px}.portal dd{margin:0;overflow-wrap:anywhere}
.status{min-height:1.4em}
.muted{color:var(--muted)}
.alert{color:var(--danger);font-weight:500}.alert:empty,.status:empty{display:none}
.portal .card{border:1px solid color-mix(in srgb,var(--border) 55%,transparent);border-radius:12px;padding:16px;margin:0 0 16px;background:var(--surface)}
.portal .card h2{font-size:1.0625rem;margin:0}
.portal h2.sub{font-size:1rem;margin:20px 0 8px}
.portal .note{background:color-mix(in srgb,var(--p) 8%,transparent);border-color:color-mix(in srgb,var(--p) 35%,transparent)}
.portal p.note{padding:12px 16px;border-radius:8px;border:1px solid color-mix(in srgb,var(--p) 35%,transparent)}
.portal .row{display:flex;align-items:center;justify-content:space-between;gap:8px;flex-wrap:wrap}
.portal ul.cards{list-style:none;padding:0;margin:0}
.badge{display:inline-block;font-size:.8125rem;font-weight:600;padding:2px 10px;border-radius:999px;background:color-mix(in srgb,var(--muted) 18%,transparent);color:var(--text)}
.badge.active,.badge.paid,.badge.in_trial{background:light-dark(#dafbe1,#12361f);color:light-dark(#116329,#7ee2a0)}
.badge.non_renewing,.badge.payment_due{background:light-dark(#fff1d6,#3d2a05);color:light-dark(#7a4700,#f2cc60)}
.badge.cancelled,.badge.not_paid{background:light-dark(#ffebe9,#3d1214);color:var(--danger)}
.facts{margin:12px 0 0}.facts dt{color:var(--muted)}
.btn{font:inherit;min-height:44px;padding:0 16px;border-radius:8px;border:1px solid var(--border);background:var(--surface);color:inherit;cursor:pointer}
.btn.primary{background:var(--p);border-color:var(--p);color:var(--on);font-weight:600}
.btn.danger{background:var(--danger);border-color:var(--danger);color:light-dark(#fff,#1f0b0b);font-weight:600}
.btn.link{border-color:transparent;background:none;color:var(--p);text-decoration:underline;padding:0 8px}
.portal .actions{flex-wrap:wrap}
.portal fieldset{border:0;padding:0;margin:0 0 16px}
.portal legend{font-weight:600;margin:0 0 8px;padding:0}
.choice{display:flex;align-items:center;gap:10px;min-height:44px;padding:8px 12px;border:1px solid color-mix(in srgb,var(--border) 55%,transparent);border-radius:8px;margin:0 0 8px;cursor:pointer}
.choice:has(input:checked){border-color:var(--p);box-shadow:0 0 0 1px var(--p)}
.choice .name{flex:1;font-weight:500}.choice .price{color:var(--muted);font-variant-numeric:tabular-nums}
.choice input{width:18px;height:18px;accent-color:var(--p)}
.addon{display:flex;align-items:center;justify-content:space-between;gap:12px;min-height:44px}
.portal input[type=number]{width:5.5em}
.portal input:not([type=radio]):not([type=checkbox]),.portal select{font:inherit;min-height:44px;padding:0 10px;border:1px solid var(--border);border-radius:8px;background:var(--surface);color:inherit;box-sizing:border-box}
.fields{display:grid;gap:4px 12px}.field{display:grid;gap:4px;margin:0 0 8px}.field input{width:100%}
.field-error{color:var(--danger);font-size:.875rem;margin:0}.field-error:empty{display:none}
input[aria-invalid=true]{border:2px solid var(--danger)!important}
.check{display:flex;align-items:center;gap:8px;min-height:44px}
.lines td:last-child{text-align:end;font-variant-numeric:tabular-nums}.lines tr.total td{font-weight:700;border-top:1px solid var(--border)}
.scroll{overflow-x:auto}.invoices .badge{white-space:nowrap}.invoices small{display:block;font-size:.8125rem}
@media (max-width:599px){nav.portal{flex-wrap:wrap;overflow:visible;gap:6px;border-bottom:0}nav.portal button{border:1px solid color-mix(in srgb,var(--border) 70%,transparent);border-radius:999px;padding:0 11px;min-height:40px;font-size:.9375rem}nav.portal button[aria-current=page]{border-color:var(--p);background:color-mix(in srgb,var(--p) 12%,transparent)}.invoices{font-size:.875rem}.portal .invoices :is(td,th){padding:8px 2px}.invoices :is(td,th):first-child{display:none}.invoices td:nth-child(2){white-space:nowrap}.row-actions .btn{display:block;margin:2px 0 2px auto;padding:0 8px}.invoices .badge{padding:2px 6px}}
.invoices :is(td,th):nth-child(4){text-align:end;font-variant-numeric:tabular-nums}.portal td.row-actions{text-align:end;white-space:nowrap}.row-actions .btn{margin-inline-start:4px}
.card-frame iframe{width:calc(100% + 4px);margin:0 -2px;border:0;display:block}
[hidden],.portal .card:empty{display:none!important}
.pay-with{margin:16px 0 0!important}.pay-with .card-frame{margin:4px 0 8px}.pay-with .alert{margin:8px 0 0}
dialog.challenge{border:1px solid var(--border);border-radius:12px;padding:20px;max-width:360px;background:var(--surface);color:var(--text)}
dialog.challenge::backdrop{background:rgb(0 0 0/.45)}
dialog.challenge .actions{display:flex;flex-wrap:wrap;gap:8px}
`;
const PAGE_CSS_VERSION = contentHash(PAGE_CSS);
const PAGE_CSS_BYTES = new TextEncoder().encode(PAGE_CSS);
