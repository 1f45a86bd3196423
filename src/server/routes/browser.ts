import { Hono } from 'hono';
import * as z from 'zod/mini';
import { PaylitValidationError } from '../../core/errors.js';
import { cardDetailsParams, cardTokenParam } from '../../core/params/card.js';
import { addressParam, cartParams, checkoutChoicesParams, contactParam, pageParams } from '../../core/params/checkout.js';
import type { NewCheckoutRequest } from '../billing/records.js';
import type { Deps } from '../context.js';
import { paramError } from '../errors.js';
import type { BrowserAccess } from '../http/browser-access.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody, readQuery } from '../http/params.js';
import type { Services } from '../services.js';
import { baseUrl } from '../http/base-url.js';

/** A drop-in button's cart: plan and addons from the catalog; the customer fills in only their contact fields. */
const dropInSchema = z.strictObject({
  ...cartParams,
  customer: z.optional(contactParam),
  billing_address: z.optional(addressParam),
  shipping_address: z.optional(addressParam),
  redirect_url: pageParams.redirect_url,
  cancel_url: pageParams.cancel_url,
  pass_thru_content: pageParams.pass_thru_content,
  layout: pageParams.layout,
});
/** The catalog a browser may see, optionally of one currency. */
const catalogQuery = z.strictObject({ currency_code: z.optional(z.string().check(z.length(3))) });
const estimateSchema = z.strictObject({ ...cartParams, billing_address: z.optional(addressParam) });
const submitSchema = z.extend(checkoutChoicesParams, { card_token: z.optional(cardTokenParam) });
const PRICE_KEY = /(^|_)(price|prices|amount|unit_price|setup_fee|setup_cost|discount)/;

/** Every key path of a decoded body, `addons[0][unit_price]` style (bounded: bodies nest at most 32 deep). */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const path = prefix ? `${prefix}[${k}]` : k;
    return [path, ...keyPaths(x, path)];
  });
}

/**
 * Routes a customer's browser calls (http/browser-access.ts says who may): the catalog, drop-in checkouts and cart
 * estimates with the publishable key; a hosted page with its own token; cards from the backend's card frame.
 */
export function browserRoutes(d: Deps, s: Services, access: BrowserAccess): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const { checkout } = s;

  app.use('/api/browser/*', access.cors);
  app.use('/api/browser/v2/catalog', access.publishable);
  app.use('/api/browser/v2/checkout_new', access.publishable);
  app.use('/api/browser/v2/estimates/*', access.publishable);

  /** What a customer may see: active plans enabled in hosted pages, and active addons; and the tax rates. */
  app.get('/api/browser/v2/catalog', async (c) => {
    const { currency_code: currency } = parseWith(catalogQuery, readQuery(c), true, c);
    const json = await s.catalog.browserCatalog(db, currency);
    return c.body(json, 200, { 'content-type': 'application/json' });
  });

  /** A drop-in checkout button: creates a checkout_new page from the catalog, with no merchant server involved. */
  app.post('/api/browser/v2/checkout_new', async (c) => {
    const { body, form } = await readBody(c, { plainJson: true });
    const priced = keyPaths(body).filter((k) => PRICE_KEY.test(k.replace(/\[\d+\]/g, '').split('[').pop()!.replace(']', '')));
    if (priced.length) throw new PaylitValidationError(priced.map((param) => ({ param, message: 'prices come from the catalog; a browser cannot set them' })));
    const { redirect_url, cancel_url, pass_thru_content, layout, ...cart } = parseWith(dropInSchema, body, form, c);
    for (const [k, url] of [['redirect_url', redirect_url], ['cancel_url', cancel_url]] as const) {
      if (url !== undefined && !d.allowedOrigins.includes(new URL(url).origin)) throw paramError(k, "must be on one of the site's allowed origins");
    }
    const request: NewCheckoutRequest = { kind: 'new', ...cart };
    return respond(c, db, async (trx) => {
      await checkout.checkNew(trx, request);
      return { hosted_page: await checkout.create(trx, { type: 'checkout_new', request, baseUrl: baseUrl(d, c), drop_in: true, redirect_url, cancel_url, pass_thru_content, layout }) };
    });
  });

  /** The estimate of a cart (plan, addons, coupons, billing address): what a checkout of it would charge now. */
  app.post('/api/browser/v2/estimates/create_subscription', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(estimateSchema, body, form, c);
    return c.json({ estimate: await checkout.estimateCart(db, { kind: 'new', ...p }) });
  });

  // ---------------------------------------------------------------- a hosted page, by its token
  app.get('/api/browser/v2/hosted_pages/:id', noParams, async (c) => {
    const opened = await checkout.open(db, await access.page(c));
    return c.json(await s.checkoutView.of(db, opened));
  });

  app.post('/api/browser/v2/hosted_pages/:id/save', async (c) => {
    const page = await access.page(c);
    const { body, form } = await readBody(c);
    const choices = parseWith(checkoutChoicesParams, body, form, c);
    return respond(c, db, async (trx) => {
      const saved = await checkout.save(trx, page, choices);
      return s.checkoutView.of(trx, saved.page, saved.outcome);
    });
  });

  app.post('/api/browser/v2/hosted_pages/:id/submit', async (c) => {
    const page = await access.page(c);
    const { body, form } = await readBody(c);
    const { card_token, ...choices } = parseWith(submitSchema, body, form, c);
    return respond(c, db, (trx) => checkout.submit(trx, page.id, Object.keys(choices).length ? choices : undefined, card_token));
  });

  /** The paid page's invoice as a PDF: a short-lived link for the success screen's Download. */
  app.post('/api/browser/v2/hosted_pages/:id/invoice_pdf', noParams, async (c) => {
    const page = await access.page(c);
    return c.json({ download: await s.invoiceDocuments.ofPage(db, page, baseUrl(d, c)) });
  });

  app.post('/api/browser/v2/hosted_pages/:id/cancel', noParams, async (c) => {
    const page = await access.page(c);
    return respond(c, db, (trx) => checkout.cancel(trx, page));
  });

  // ---------------------------------------------------------------- cards (the card frame)
  /** Tokenizes a card for a hosted page (its token), a portal session (its key) or the publishable key. */
  app.post('/api/browser/v2/card_tokens', async (c) => {
    access.ownOrigin(c);
    const { body, form } = await readBody(c);
    const p = parseWith(cardDetailsParams, body, form, c);
    if (c.req.header('x-paylit-hosted-page-token') !== undefined) {
      if (p.hosted_page_id === undefined) throw paramError('hosted_page_id', 'is required with X-Paylit-Hosted-Page-Token');
      checkout.assertOpen(await access.page(c, p.hosted_page_id));
    } else if (p.hosted_page_id !== undefined) {
      throw paramError('hosted_page_id', 'is given with X-Paylit-Hosted-Page-Token, the page it names');
    } else if (c.req.header('x-paylit-portal-key') !== undefined) {
      await access.session(c);
    } else {
      access.checkPublishable(c, 'Sorry, authentication failed. Give the hosted page token, the portal key or the publishable key.');
    }
    return respond(c, db, async (trx) => ({ card_token: await d.gateway.tokenize(trx, p, d.clock.now()) }));
  });

  /** The 3-D Secure challenge's answer for a token ("Complete" or "Fail"); the unguessable token id is the capability. */
  app.post('/api/browser/v2/card_tokens/:id/authenticate', async (c) => {
    access.ownOrigin(c);
    const { id } = parseWith(z.strictObject({ id: cardTokenParam }), { id: c.req.param('id') }, false);
    access.limit(`tok:${id}`);
    const { body, form } = await readBody(c);
    const p = parseWith(z.strictObject({ outcome: z.enum(['complete', 'fail']) }), body, form, c);
    return respond(c, db, async (trx) => ({ card_token: await d.gateway.authenticate(trx, id, p.outcome, d.clock.now()) }));
  });

  return app;
}
