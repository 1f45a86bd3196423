import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PaylitError } from '../core/errors.js';
import type { Deps } from './context.js';
import { unauthorized } from './errors.js';
import { BrowserAccess } from './http/browser-access.js';
import { bodyError, LIMITS } from './http/decode.js';
import { wireError } from './http/errors.js';
import { idempotency } from './http/idempotency.js';
import { billingRoutes } from './routes/billing.js';
import { browserPortalActionRoutes } from './routes/browser-portal-actions.js';
import { browserPortalRoutes } from './routes/browser-portal.js';
import { browserRoutes } from './routes/browser.js';
import { catalogRoutes } from './routes/catalog.js';
import { customerRoutes } from './routes/customers.js';
import { downloadRoutes } from './routes/downloads.js';
import { eventRoutes } from './routes/events.js';
import { hostedPageRoutes } from './routes/hosted-pages.js';
import { hostedRoutes } from './routes/hosted.js';
import { paymentRoutes } from './routes/payments.js';
import { portalRoutes } from './routes/portal.js';
import { siteRoutes } from './routes/site.js';
import { timeMachineRoutes } from './routes/time-machine.js';
import type { Services } from './services.js';
import { safeEqual } from './tokens.js';
import { requestArrived } from './turn-read.js';

export type Logger = (line: string) => void;

/** The backend's HTTP app: request log, the one error envelope, body limits, auth, idempotency, and the routes. */
export function createApp(d: Deps, s: Services, log: Logger = (l) => console.log(l)): Hono {
  const app = new Hono();

  // Every error, from any layer, becomes Chargebee's error shape here and nowhere else.
  const answerError = (err: unknown, c: Context): Response => {
    const e = wireError(err, (x) => console.error(x));
    for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
    return c.json(e.body, e.status as 400);
  };
  app.onError(answerError);

  // One middleware for what every request needs first (each Hono middleware is a dispatch on every request):
  // - the turn's shared SQLite reads may serve it (turn-read.ts: it arrived before any read of this turn);
  // - one log line per request: method, path (never the query, which may carry a key), status, ms;
  // - the time machine's offset, as another instance may have moved it;
  // - after a POST has answered (its transaction has committed): wake the webhook deliverer if deliveries were
  //   written while it ran (by it or a concurrent request, which then wakes it too); a POST that wrote none costs it
  //   nothing.
  // What the routes throw is answered inside `next` (Hono's compose); only the offset's read can throw here, and it
  // is answered as the routes' errors are, and logged.
  app.use('*', async (c, next) => {
    requestArrived();
    const started = performance.now();
    try {
      const reading = d.clock.refresh();
      if (reading) await reading;
      const before = d.outbox.deliveriesWritten;
      await next();
      if (c.req.method === 'POST' && d.outbox.deliveriesWritten !== before) d.kick();
    } catch (err) {
      c.res = answerError(err, c);
    }
    log(`${c.req.method} ${c.req.path} ${String(c.res.status)} ${(performance.now() - started).toFixed(1)}ms`);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  // The merchant API (/api/v1, /api/v2): HTTP Basic with the site's secret key as the user name. Checked in the
  // /api/* middleware below, first, rather than as a middleware of its own (one Hono dispatch fewer per request).
  const merchantApi = (path: string) => path.startsWith('/api/v2/') || path.startsWith('/api/v1/') || path === '/api/v2' || path === '/api/v1';
  // The header the SDKs send (the key, an empty password), compared whole first: no base64 decoding on the usual call.
  const usualHeader = `Basic ${Buffer.from(`${d.site.api_key}:`).toString('base64')}`;
  const checkSecretKey = (c: Context) => {
    const auth = c.req.header('authorization');
    if (auth !== undefined && safeEqual(auth, usualHeader)) return;
    const user = auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':')[0] : undefined;
    if (!user || !safeEqual(user, d.site.api_key)) throw unauthorized();
  };
  // One body of at most LIMITS.bodyBytes, counted as it arrives (a missing or lying Content-Length changes nothing).
  // GET and HEAD carry no body (Node's server gives them none), and a Content-Length without Transfer-Encoding is
  // the bound Node's parser reads to: both are decided as bodyLimit decides them, without asking for the body as a
  // stream, which would build the whole web Request (about a tenth of a small route's cost) where node-server reads
  // the body directly otherwise.
  const tooLarge = () => {
    throw bodyError(413, `The request body is larger than ${String(LIMITS.bodyBytes / 1_000_000)} MB.`);
  };
  const limit = bodyLimit({ maxSize: LIMITS.bodyBytes, onError: tooLarge });
  // Then Chargebee-Idempotency-Key on every POST (merchant and browser routes), after authentication: called from
  // the body check rather than as a middleware of its own (one Hono dispatch fewer on every API request).
  const idempotent = idempotency({ site: d.site.id, keys: d.idempotencyKeys, lockMs: d.idempotencyLockMs, holdAnswerMs: d.holdAnswerMs });
  app.use('/api/*', (c, next) => {
    if (merchantApi(c.req.path)) checkSecretKey(c);
    const then = () => idempotent(c, next) as Promise<void>;
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return then();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) return Number.parseInt(length, 10) > LIMITS.bodyBytes ? tooLarge() : then();
    return limit(c, then);
  });

  const access = new BrowserAccess(d, s);
  for (const routes of [catalogRoutes, customerRoutes, billingRoutes, hostedPageRoutes, portalRoutes, timeMachineRoutes, paymentRoutes, eventRoutes]) app.route('/', routes(d, s));
  app.route('/', siteRoutes(d));
  app.route('/', hostedRoutes(d));
  app.route('/', browserRoutes(d, s, access));
  app.route('/', browserPortalRoutes(d, s, access));
  app.route('/', browserPortalActionRoutes(d, s, access));
  app.route('/', downloadRoutes(d, s));

  app.notFound((c) => {
    const e = wireError(new PaylitError('resource_not_found', `No route for ${c.req.method} ${c.req.path}`), () => {});
    return c.json(e.body, 404);
  });
  return app;
}
