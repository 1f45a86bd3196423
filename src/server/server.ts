import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Duplex } from 'node:stream';
import type { Hono } from 'hono';
import { rawErrorResponse } from './http/errors.js';
import { type Logger, createApp } from './app.js';
import { type Clock, systemClock } from './clock.js';
import { openStorage, type Storage } from './db/index.js';
import type { SiteRow } from './db/types.js';
import type { Env } from './env.js';
import { ensureSite, seedDemoCatalog } from './site.js';
import { Stores } from './stores.js';
import { SiteClock } from './time-machine.js';
import { parseOrThrow } from '../core/errors.js';
import { taxProfileSchema } from '../core/tax.js';
import { WebhookDeliverer } from './events/deliverer.js';
import { ENV_ENDPOINT_ID, type EndpointConfig } from './events/endpoints.js';
import { Outbox } from './events/outbox.js';
import { TestGateway } from './payments/test-gateway.js';
import type { Deps } from './context.js';
import { Scheduler } from './scheduler.js';
import { createServices } from './services.js';
import { IdempotencyKeys } from './db/idempotency-keys.js';
import { IDEMPOTENCY_TTL_MS } from './http/idempotency.js';
import { InFlight } from './http/in-flight.js';

/** How long a shutdown waits for the handlers still running (their clients may have gone) before closing the database. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly site: SiteRow;
  readonly storage: Storage;
  readonly seeded: boolean;
  readonly deliverer: WebhookDeliverer;
  readonly scheduler: Scheduler;
  /** The HTTP app (its `routes` list every route, which the fuzz test walks). */
  readonly app: Hono;
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly env: Env;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** PostgreSQL schema (tests isolate runs with it). */
  readonly schema?: string;
}

/** Opens storage, ensures the site (and the demo catalog), and listens. */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const clock = o.clock ?? systemClock;
  const storage = await openStorage({ databaseUrl: o.env.DATABASE_URL, dataDir: o.env.PAYLIT_DATA_DIR, schema: o.schema ?? o.env.PAYLIT_DATABASE_SCHEMA });
  const site = await ensureSite(storage.db, {
    site: o.env.PAYLIT_SITE,
    apiKey: o.env.PAYLIT_API_KEY,
    publishableKey: o.env.PAYLIT_PUBLISHABLE_KEY,
    branding: { display_name: o.env.PAYLIT_SITE_NAME, logo_url: o.env.PAYLIT_SITE_LOGO_URL, accent_color: o.env.PAYLIT_SITE_ACCENT },
    portal: { cancel: o.env.PAYLIT_PORTAL_CANCEL, change: o.env.PAYLIT_PORTAL_CHANGE, reactivate: o.env.PAYLIT_PORTAL_REACTIVATE },
    clock,
  });
  const siteClock = new SiteClock(clock, storage.db, site.id);
  await siteClock.refresh(true);
  const seeded = o.env.PAYLIT_SEED_DEMO ? await seedDemoCatalog(storage.db, storage.dialect, site.id, siteClock) : false;
  const row = await storage.db.selectFrom('sites').select('tax_profile').where('id', '=', site.id).executeTakeFirstOrThrow();
  const taxProfile = row.tax_profile ? parseOrThrow(taxProfileSchema, JSON.parse(row.tax_profile)) : undefined;
  const log = o.log ?? ((l: string) => console.log(l));
  const envEndpoint: EndpointConfig | undefined = o.env.PAYLIT_WEBHOOK_URL
    ? { id: ENV_ENDPOINT_ID, url: o.env.PAYLIT_WEBHOOK_URL, username: o.env.PAYLIT_WEBHOOK_USERNAME, password: o.env.PAYLIT_WEBHOOK_PASSWORD, secret: o.env.PAYLIT_WEBHOOK_SECRET }
    : undefined;
  const deliverer = new WebhookDeliverer({
    db: storage.db,
    dialect: storage.dialect,
    siteId: site.id,
    envEndpoint,
    retryScheduleMs: o.env.PAYLIT_WEBHOOK_RETRY_SCHEDULE,
    timeoutMs: o.env.PAYLIT_WEBHOOK_TIMEOUT,
    pollMs: o.env.PAYLIT_WEBHOOK_POLL,
    log,
  });
  const deps: Deps = {
      storage,
      site: { ...site, tax_profile: row.tax_profile },
      clock: siteClock,
      stores: new Stores(site.id, storage.dialect),
      allowedOrigins: o.env.PAYLIT_ALLOWED_ORIGINS,
      browserRateLimit: o.env.PAYLIT_BROWSER_RATE_LIMIT,
      taxProfile,
      publicUrl: o.env.PAYLIT_PUBLIC_URL,
      backdatingDayLimit: o.env.PAYLIT_BACKDATING_DAY_LIMIT,
      outbox: new Outbox({ siteId: site.id, dialect: storage.dialect, clock: siteClock, envEndpoint }),
      gateway: new TestGateway(site.id),
      idempotencyKeys: new IdempotencyKeys(storage.db, o.env.PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT, IDEMPOTENCY_TTL_MS),
      idempotencyLockMs: o.env.PAYLIT_IDEMPOTENCY_LOCK_TIMEOUT,
      kick: () => deliverer.kick(),
      holdSubmitMs: o.env.PAYLIT_TEST_HOLD_SUBMIT,
      holdAnswerMs: o.env.PAYLIT_TEST_HOLD_ANSWER,
  };
  const services = createServices(deps);
  const app = createApp(deps, services, o.log);
  const scheduler = new Scheduler(deps, services.lifecycle, o.env.PAYLIT_SCHEDULER_INTERVAL, log);
  const inFlight = new InFlight();
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: (req, env) => inFlight.track(app.fetch(req, env)), port: o.env.PORT, hostname: o.env.HOST }, () => resolve(s));
    s.once('error', reject);
    // An idle keep-alive connection stays open longer than a proxy's or a client's own idle timeout (60 s is usual):
    // one the server closed just as a client reused it would fail that request (ECONNRESET; a 502 behind a proxy).
    Object.assign(s, { keepAliveTimeout: 65_000, headersTimeout: 66_000 });
    // What Node's parser refuses before the app sees it (headers or URL over 16 KB, malformed requests) still gets
    // Chargebee's error shape.
    s.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (!socket.writable) return socket.destroy();
      socket.end(rawErrorResponse(err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400));
    });
  });
  deliverer.start();
  scheduler.start();
  const port = (server.address() as AddressInfo).port;
  const host = o.env.HOST.includes(':') ? `[${o.env.HOST}]` : o.env.HOST;
  return {
    url: `http://${host}:${String(port)}`,
    port,
    site,
    storage,
    seeded,
    deliverer,
    scheduler,
    app,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Handlers whose clients hung up still run: their writes finish before the database closes.
      const left = await inFlight.settled(SHUTDOWN_GRACE_MS);
      if (left) log(`stopping with ${String(left)} request(s) still running after ${String(SHUTDOWN_GRACE_MS / 1000)} s; what they still write fails`);
      await deps.stores.hostedPages.closeGrouped();
      await scheduler.stop();
      await deliverer.stop();
      await storage.close();
    },
  };
}
