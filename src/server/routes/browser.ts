import { timingSafeEqual } from 'node:crypto';
import { type Context, Hono, type Next } from 'hono';
import type { Addon } from '../../core/schemas/addon.js';
import type { Plan } from '../../core/schemas/plan.js';
import { ApiError, unauthorized } from '../http/errors.js';
import { RateLimiter } from '../http/rate-limit.js';
import type { Deps } from './context.js';

export const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The publishable key from `X-Paylit-Publishable-Key` or HTTP Basic (key as user name). */
function publishableKey(c: Context): string | undefined {
  const header = c.req.header('x-paylit-publishable-key');
  if (header) return header;
  const auth = c.req.header('authorization');
  if (auth?.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
  return undefined;
}

/** Merchant-internal fields that a customer's browser has no business seeing. */
const INTERNAL = ['sku', 'accounting_code', 'accounting_category1', 'accounting_category2', 'accounting_category3', 'accounting_category4', 'tax_profile_id', 'invoice_notes'] as const;
const publicView = <T extends object>(r: T): T => {
  const out = { ...r } as Record<string, unknown>;
  for (const k of INTERNAL) delete out[k];
  return out as T;
};

/**
 * Routes a customer's browser calls: authorised by the publishable key (never the secret key), CORS limited to
 * PAYLIT_ALLOWED_ORIGINS, rate-limited per key.
 */
export function browserRoutes(d: Deps): Hono {
  const app = new Hono();
  const limiter = new RateLimiter(d.browserRateLimit);

  const cors = async (c: Context, next: Next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (!d.allowedOrigins.includes(origin)) {
        throw new ApiError(403, 'origin_not_allowed', `The origin ${origin} is not in this site's allowed origins (PAYLIT_ALLOWED_ORIGINS)`);
      }
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Paylit-Publishable-Key, Chargebee-Idempotency-Key');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  };

  const auth = async (c: Context, next: Next) => {
    const key = publishableKey(c);
    if (!key || !safeEqual(key, d.site.publishable_key)) throw unauthorized('Sorry, authentication failed. Invalid publishable key');
    const wait = limiter.take(key);
    if (wait > 0) {
      throw new ApiError(429, 'api_request_limit_exceeded', 'Too many requests; slow down', undefined, 'invalid_request', { 'Retry-After': String(wait) });
    }
    await next();
  };

  app.use('/api/browser/*', cors, auth);

  /** What a customer may see: active plans enabled in hosted pages, and active addons. */
  app.get('/api/browser/v2/catalog', async (c) => {
    const db = d.storage.db;
    const [plans, addons] = await Promise.all([d.stores.plans.all(db, { status: ['active'] }), d.stores.addons.all(db, { status: ['active'] })]);
    const currency = c.req.query('currency_code');
    const visible = plans.filter((p: Plan) => p.enabled_in_hosted_pages && (!currency || p.currency_code === currency));
    const currencies = new Set(visible.map((p) => p.currency_code));
    return c.json({
      plans: visible.map(publicView),
      addons: addons.filter((a: Addon) => currencies.has(a.currency_code)).map(publicView),
    });
  });

  return app;
}
