import { type Context, Hono, type Next } from 'hono';
import { z } from 'zod';
import type { Addon } from '../../core/schemas/addon.js';
import type { Plan } from '../../core/schemas/plan.js';
import { Checkout, choicesSchema, publicItem } from '../billing/checkout.js';
import { safeEqual, sha256 } from '../tokens.js';
import { Portal } from '../billing/portal.js';
import type { CheckoutRequest, PortalSession } from '../billing/records.js';
import { ApiError, paramError, unauthorized } from '../http/errors.js';
import { respond } from '../http/idempotency.js';
import { parseWith, readBody, toApiError } from '../http/params.js';
import { RateLimiter } from '../http/rate-limit.js';
import { addonsParam, countParam, couponIdsParam, idParam, objectParam, urlParam } from '../http/schemas.js';
import type { ListQuery } from '../store.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import type { Deps } from '../context.js';
import { baseUrl } from './hosted-pages.js';

/** The publishable key from `X-Paylit-Publishable-Key` or HTTP Basic (key as user name). */
function publishableKey(c: Context): string | undefined {
  const header = c.req.header('x-paylit-publishable-key');
  if (header) return header;
  const auth = c.req.header('authorization');
  if (auth?.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
  return undefined;
}

/** A drop-in button's cart: plan and addons from the catalog. Any price sent by the client is refused. */
/** A card token as the card frame got it. */
export const cardTokenId = z.string().regex(/^tok_[A-Za-z0-9]{16}$/, 'must be a card token from the card frame');

/** The card fields the frame sends (checked by core's checkCard, as the frame checked them). */
const cardFields = z
  .object({
    hosted_page_id: z.string().min(1).max(100).optional(),
    number: z.string().max(40),
    expiry_month: z.coerce.number().int(),
    expiry_year: z.coerce.number().int(),
    cvc: z.string().max(8),
  })
  .strict();

const dropInSchema = z
  .object({
    plan_id: idParam,
    plan_quantity: countParam.optional(),
    addons: addonsParam.optional(),
    coupon_ids: couponIdsParam.optional(),
    customer: objectParam.optional(),
    billing_address: objectParam.optional(),
    shipping_address: objectParam.optional(),
    redirect_url: urlParam.optional(),
    cancel_url: urlParam.optional(),
    pass_thru_content: z.string().max(2048, 'must be at most 2048 characters').optional(),
    layout: z.enum(['in_app', 'full_page']).optional(),
  })
  .strict();
const estimateSchema = dropInSchema.pick({ plan_id: true, plan_quantity: true, addons: true, coupon_ids: true, billing_address: true });
const PRICE_KEY = /(^|_)(price|prices|amount|unit_price|setup_fee|setup_cost|discount)/;

/** Every key path of a decoded body, `addons[0][unit_price]` style. */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const path = prefix ? `${prefix}[${k}]` : k;
    return [path, ...keyPaths(x, path)];
  });
}

/**
 * Routes a customer's browser calls, never with the secret key:
 * - the catalog and the drop-in checkout: the publishable key, CORS limited to PAYLIT_ALLOWED_ORIGINS;
 * - a hosted page: its own token (X-Paylit-Hosted-Page-Token), from the backend's own origin (the iframe);
 * - portal sections: the key the portal session gave on activation (X-Paylit-Portal-Key).
 * All rate-limited per key.
 */
export function browserRoutes(d: Deps): Hono {
  const app = new Hono();
  const limiter = new RateLimiter(d.browserRateLimit);
  const { db } = d.storage;
  const checkout = new Checkout(d);
  const portal = new Portal(d);

  const limit = (key: string) => {
    const wait = limiter.take(key);
    if (wait > 0) {
      throw new ApiError(429, 'api_request_limit_exceeded', 'Too many requests; slow down', undefined, 'invalid_request', { 'Retry-After': String(wait) });
    }
  };

  // The backend's own pages (the checkout iframe, the portal) are always allowed; other origins only if listed.
  const cors = async (c: Context, next: Next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin && origin !== d.publicUrl) {
      if (!d.allowedOrigins.includes(origin)) {
        throw new ApiError(403, 'origin_not_allowed', `The origin ${origin} is not in this site's allowed origins (PAYLIT_ALLOWED_ORIGINS)`);
      }
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Paylit-Publishable-Key, X-Paylit-Hosted-Page-Token, X-Paylit-Portal-Key, Chargebee-Idempotency-Key');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  };

  const publishable = async (c: Context, next: Next) => {
    const key = publishableKey(c);
    if (!key || !safeEqual(key, d.site.publishable_key)) throw unauthorized('Sorry, authentication failed. Invalid publishable key');
    limit(key);
    await next();
  };

  app.use('/api/browser/*', cors);
  app.use('/api/browser/v2/catalog', publishable);
  app.use('/api/browser/v2/checkout_new', publishable);
  app.use('/api/browser/v2/estimates/*', publishable);

  /** What a customer may see: active plans enabled in hosted pages, and active addons; and the tax rates. */
  app.get('/api/browser/v2/catalog', async (c) => {
    const [plans, addons] = await Promise.all([d.stores.plans.all(db, { status: ['active'] }), d.stores.addons.all(db, { status: ['active'] })]);
    const currency = c.req.query('currency_code');
    const visible = plans.filter((p: Plan) => p.enabled_in_hosted_pages && (!currency || p.currency_code === currency));
    const currencies = new Set(visible.map((p) => p.currency_code));
    return c.json({
      plans: visible.map(publicItem),
      addons: addons.filter((a: Addon) => currencies.has(a.currency_code)).map(publicItem),
      tax_profile: d.taxProfile ?? null,
    });
  });

  /** A drop-in checkout button: creates a checkout_new page from the catalog, with no merchant server involved. */
  app.post('/api/browser/v2/checkout_new', async (c) => {
    const { body, form } = await readBody(c);
    const priced = keyPaths(body).filter((k) => PRICE_KEY.test(k.replace(/\[\d+\]/g, '').split('[').pop()!.replace(']', '')));
    if (priced.length) throw toApiError(priced.map((param) => ({ param, message: 'prices come from the catalog; a browser cannot set them' })));
    const p = parseWith(dropInSchema, body, form);
    for (const k of ['redirect_url', 'cancel_url'] as const) {
      const url = p[k];
      if (url !== undefined && !d.allowedOrigins.includes(new URL(url).origin)) throw paramError(k, 'must be on one of the site\'s allowed origins');
    }
    const request: CheckoutRequest = {
      kind: 'new',
      plan_id: p.plan_id,
      plan_quantity: p.plan_quantity,
      addons: p.addons ?? [],
      coupon_ids: p.coupon_ids ?? [],
      customer: p.customer,
      billing_address: p.billing_address,
      shipping_address: p.shipping_address,
    };
    if (p.customer && 'id' in p.customer) throw paramError('customer[id]', 'a browser cannot choose an existing customer');
    return respond(c, db, async (trx) => {
      await checkout.checkNew(trx, request, (x) => x);
      const hosted_page = await checkout.create(trx, {
        type: 'checkout_new', request, baseUrl: baseUrl(d, c), drop_in: true,
        redirect_url: p.redirect_url, cancel_url: p.cancel_url, pass_thru_content: p.pass_thru_content, layout: p.layout,
      });
      return { hosted_page };
    });
  });

  /** The estimate of a cart (plan, addons, coupons, billing address): what a checkout of it would charge now. */
  app.post('/api/browser/v2/estimates/create_subscription', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(estimateSchema, body, form);
    const estimate = await checkout.estimateCart(db, {
      kind: 'new', plan_id: p.plan_id, plan_quantity: p.plan_quantity, addons: p.addons ?? [], coupon_ids: p.coupon_ids ?? [],
      billing_address: p.billing_address,
    });
    return c.json({ estimate });
  });

  // ---------------------------------------------------------------- a hosted page, by its token
  const page = async (c: Context) => {
    const id = c.req.param('id')!;
    limit(`hp:${id}`);
    return checkout.authorise(db, id, c.req.header('x-paylit-hosted-page-token'));
  };

  app.get('/api/browser/v2/hosted_pages/:id', async (c) => {
    const opened = await checkout.open(db, await page(c));
    return c.json(await checkout.view(db, opened));
  });

  app.post('/api/browser/v2/hosted_pages/:id/save', async (c) => {
    const p = await page(c);
    const { body, form } = await readBody(c);
    const choices = parseWith(choicesSchema, body, form);
    return respond(c, db, (trx) => checkout.save(trx, p, choices));
  });

  app.post('/api/browser/v2/hosted_pages/:id/submit', async (c) => {
    const p = await page(c);
    const { body, form } = await readBody(c);
    const { card_token, ...rest } = body;
    const token = card_token === undefined ? undefined : parseWith(z.object({ card_token: cardTokenId }).strict(), { card_token }, form).card_token;
    const choices = Object.keys(rest).length ? parseWith(choicesSchema, rest, form) : undefined;
    return respond(c, db, (trx) => checkout.submit(trx, p.id, choices, token));
  });

  app.post('/api/browser/v2/hosted_pages/:id/cancel', async (c) => {
    const p = await page(c);
    return respond(c, db, (trx) => checkout.cancel(trx, p));
  });

  const session = async (c: Context): Promise<PortalSession> => {
    const key = c.req.header('x-paylit-portal-key');
    if (!key) throw unauthorized('Sign in to the portal again: the portal key is missing.');
    limit(`pk:${sha256(key).slice(0, 16)}`);
    return portal.authorise(db, key);
  };

  // ---------------------------------------------------------------- cards (the card frame)
  // Card details may come only from the backend's own pages: a merchant's page never sees them.
  const ownOrigin = (c: Context) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin && origin !== d.publicUrl) {
      throw new ApiError(403, 'origin_not_allowed', "Card details can be sent only from Paylit's card frame.", undefined, 'invalid_request');
    }
  };

  /** Tokenizes a card for a hosted page (its token), a portal session (its key) or the publishable key. */
  app.post('/api/browser/v2/card_tokens', async (c) => {
    ownOrigin(c);
    const { body, form } = await readBody(c);
    const p = parseWith(cardFields, body, form);
    const hpToken = c.req.header('x-paylit-hosted-page-token');
    if (hpToken !== undefined) {
      if (p.hosted_page_id === undefined) throw paramError('hosted_page_id', 'is required with X-Paylit-Hosted-Page-Token');
      limit(`hp:${p.hosted_page_id}`);
      checkout.assertOpen(await checkout.authorise(db, p.hosted_page_id, hpToken));
    } else if (c.req.header('x-paylit-portal-key') !== undefined) {
      await session(c);
    } else {
      const key = publishableKey(c);
      if (!key || !safeEqual(key, d.site.publishable_key)) throw unauthorized('Sorry, authentication failed. Give the hosted page token, the portal key or the publishable key.');
      limit(key);
    }
    return respond(c, db, async (trx) => ({ card_token: await d.gateway.tokenize(trx, p, d.clock.now()) }));
  });

  /** The 3-D Secure challenge's answer for a token ("Complete" or "Fail"); the unguessable token id is the capability. */
  app.post('/api/browser/v2/card_tokens/:id/authenticate', async (c) => {
    ownOrigin(c);
    const id = parseWith(z.object({ id: cardTokenId }), { id: c.req.param('id') }, false).id;
    limit(`tok:${id}`);
    const { body, form } = await readBody(c);
    const p = parseWith(z.object({ outcome: z.enum(['complete', 'fail']) }).strict(), body, form);
    return respond(c, db, async (trx) => ({ card_token: await d.gateway.authenticate(trx, id, p.outcome, d.clock.now()) }));
  });

  // ---------------------------------------------------------------- portal sessions
  /** Activation: the session's token, once, buys the browser a key for the session's hour. */
  app.post('/api/browser/v2/portal_sessions/activate', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(z.object({ id: z.string().min(1).max(100), token: z.string().min(1).max(200) }).strict(), body, form);
    limit(`ps:${p.id}`);
    return respond(c, db, (trx) => portal.activate(trx, p.id, p.token));
  });


  /** The ADDRESS section: the billing address, and the shipping address where the customer has one. */
  app.get('/api/browser/v2/portal/address', async (c) => {
    const s = await session(c);
    const customer = await d.stores.customers.get(db, s.customer_id);
    const shipping = customer?.shipping_address ?? (await portal.subscriptions(db, s.customer_id)).find((x) => x.shipping_address)?.shipping_address;
    return c.json({
      billing_address: customer?.billing_address ?? null,
      ...(shipping && { shipping_address: shipping }),
      customer: { id: s.customer_id, email: customer?.email, first_name: customer?.first_name, last_name: customer?.last_name },
    });
  });

  app.post('/api/browser/v2/portal/address', async (c) => {
    const s = await session(c);
    const { body, form } = await readBody(c);
    const p = parseWith(z.object({ billing_address: objectParam, shipping_address: objectParam.optional() }).strict(), body, form);
    return respond(c, db, async (trx) => {
      const r = await portal.updateAddress(trx, s, p.billing_address, p.shipping_address, form);
      return { billing_address: r.customer.billing_address ?? null, ...(r.shipping_address && { shipping_address: r.shipping_address }), customer: { id: r.customer.id } };
    });
  });

  /** The read-only sections: the account, the subscriptions, the invoices, the payment sources. */
  app.get('/api/browser/v2/portal/account', async (c) => {
    const s = await session(c);
    const customer = await d.stores.customers.get(db, s.customer_id);
    if (!customer) throw unauthorized('This portal session has no customer.');
    const { id, email, first_name, last_name, company, phone, preferred_currency_code, promotional_credits, refundable_credits } = customer as Record<string, unknown> & { id: string };
    return c.json({ customer: { id, email, first_name, last_name, company, phone, preferred_currency_code, promotional_credits, refundable_credits } });
  });

  app.get('/api/browser/v2/portal/subscriptions', async (c) => {
    const s = await session(c);
    return c.json({ list: (await portal.subscriptions(db, s.customer_id)).map(publicSubscription) });
  });

  app.get('/api/browser/v2/portal/invoices', async (c) => {
    const s = await session(c);
    const q = { limit: 100, columns: { customer_id: { is: s.customer_id } } } as unknown as ListQuery;
    const { items } = await d.stores.invoices.list(db, q);
    return c.json({
      list: items.map((i) => ({ id: i.id, date: i.date, status: i.status, total: i.total, amount_due: i.amount_due, currency_code: i.currency_code })),
    });
  });

  app.get('/api/browser/v2/portal/payment_sources', async (c) => {
    const s = await session(c);
    const q = { limit: 100, columns: { customer_id: { is: s.customer_id } } } as unknown as ListQuery;
    const { items } = await d.stores.paymentSources.list(db, q);
    return c.json({ list: items.map((p) => ({ id: p.id, type: p.type, status: p.status, card: p.card && { brand: p.card.brand, last4: p.card.last4, expiry_month: p.card.expiry_month, expiry_year: p.card.expiry_year } })) });
  });

  app.post('/api/browser/v2/portal/logout', async (c) => {
    const s = await session(c);
    return respond(c, db, async (trx) => {
      await portal.logout(trx, s.id);
      return { ok: true };
    });
  });

  return app;
}

/** What the portal shows of a subscription. */
function publicSubscription(x: Subscription) {
  return {
    id: x.id, plan_id: x.plan_id, plan_quantity: x.plan_quantity, status: x.status, currency_code: x.currency_code,
    current_term_end: x.current_term_end, next_billing_at: x.next_billing_at, cancelled_at: x.cancelled_at,
    addons: x.addons, shipping_address: x.shipping_address, has_scheduled_changes: x.has_scheduled_changes,
  };
}
