import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
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

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly site: SiteRow;
  readonly storage: Storage;
  readonly seeded: boolean;
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
  const storage = await openStorage({ databaseUrl: o.env.DATABASE_URL, dataDir: o.env.PAYLIT_DATA_DIR, schema: o.schema });
  const site = await ensureSite(storage.db, { site: o.env.PAYLIT_SITE, apiKey: o.env.PAYLIT_API_KEY, publishableKey: o.env.PAYLIT_PUBLISHABLE_KEY, clock });
  const siteClock = new SiteClock(clock, storage.db, site.id);
  await siteClock.refresh(true);
  const seeded = o.env.PAYLIT_SEED_DEMO ? await seedDemoCatalog(storage.db, storage.dialect, site.id, siteClock) : false;
  const row = await storage.db.selectFrom('sites').select('tax_profile').where('id', '=', site.id).executeTakeFirstOrThrow();
  const taxProfile = row.tax_profile ? parseOrThrow(taxProfileSchema, JSON.parse(row.tax_profile)) : undefined;
  const app = createApp(
    {
      storage,
      site: { ...site, tax_profile: row.tax_profile },
      clock: siteClock,
      stores: new Stores(site.id, storage.dialect),
      allowedOrigins: o.env.PAYLIT_ALLOWED_ORIGINS,
      browserRateLimit: o.env.PAYLIT_BROWSER_RATE_LIMIT,
      taxProfile,
      publicUrl: o.env.PAYLIT_PUBLIC_URL,
      backdatingDayLimit: o.env.PAYLIT_BACKDATING_DAY_LIMIT,
    },
    o.log,
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.env.PORT, hostname: o.env.HOST }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.env.HOST.includes(':') ? `[${o.env.HOST}]` : o.env.HOST;
  return {
    url: `http://${host}:${String(port)}`,
    port,
    site,
    storage,
    seeded,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await storage.close();
    },
  };
}
