import { Hono } from 'hono';
import { PaylitValidationError } from '../core/errors.js';
import { MoneyRangeError } from '../core/money.js';
import { ApiError, unauthorized } from './http/errors.js';
import { toApiError } from './http/params.js';
import { browserRoutes, safeEqual } from './routes/browser.js';
import { billingRoutes } from './routes/billing.js';
import { catalogRoutes } from './routes/catalog.js';
import { timeMachineRoutes } from './routes/time-machine.js';
import { hostedPageRoutes } from './routes/hosted-pages.js';
import { portalRoutes } from './routes/portal.js';
import { paymentRoutes } from './routes/payments.js';
import { eventRoutes } from './routes/events.js';
import { hostedRoutes } from './routes/hosted.js';
import { siteRoutes } from './routes/site.js';
import { idempotency } from './http/idempotency.js';
import type { Deps } from './routes/context.js';

export type Logger = (line: string) => void;

/** The backend's HTTP app: request log, error envelope, auth, and the routes. */
export function createApp(d: Deps, log: Logger = (l) => console.log(l)): Hono {
  const app = new Hono();

  // One line per request: method, path (never the query, which may carry a key), status, ms.
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    log(`${c.req.method} ${c.req.path} ${String(c.res.status)} ${(performance.now() - started).toFixed(1)}ms`);
  });

  app.onError((err, c) => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (err instanceof PaylitValidationError) e = toApiError(err.errors);
    else if (err instanceof MoneyRangeError) e = new ApiError(400, 'param_wrong_value', err.message, undefined, 'invalid_request');
    else {
      console.error(err);
      e = new ApiError(500, 'internal_error', 'Sorry, something went wrong on our side.', undefined, 'operation_failed');
    }
    for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
    return c.json(e.toJSON(), e.status);
  });

  // The time machine's offset, as another instance may have moved it.
  app.use('*', async (_c, next) => {
    await d.clock.refresh();
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  // After a POST has answered, its transaction has committed: wake the webhook deliverer for its events.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method === 'POST') d.kick();
  });

  // The merchant API: HTTP Basic with the site's secret key as the user name.
  app.use('/api/v1/*', secretKey(d));
  app.use('/api/v2/*', secretKey(d));
  // Chargebee-Idempotency-Key on every POST (merchant and browser routes), after authentication.
  app.use('/api/*', idempotency(d));
  app.route('/', catalogRoutes(d));
  app.route('/', billingRoutes(d));
  app.route('/', hostedPageRoutes(d));
  app.route('/', portalRoutes(d));
  app.route('/', timeMachineRoutes(d));
  app.route('/', paymentRoutes(d));
  app.route('/', eventRoutes(d));
  app.route('/', siteRoutes(d));
  app.route('/', hostedRoutes(d));
  app.route('/', browserRoutes(d));

  app.notFound((c) => {
    const e = new ApiError(404, 'resource_not_found', `No route for ${c.req.method} ${c.req.path}`, undefined, 'invalid_request');
    return c.json(e.toJSON(), 404);
  });
  return app;
}

function secretKey(d: Deps) {
  return async (c: Parameters<Parameters<Hono['use']>[1]>[0], next: () => Promise<void>) => {
    const auth = c.req.header('authorization');
    const user = auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':')[0] : undefined;
    if (!user || !safeEqual(user, d.site.api_key)) throw unauthorized();
    await next();
  };
}
