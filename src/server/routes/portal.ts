import { Hono } from 'hono';
import { z } from 'zod';
import { Portal } from '../billing/portal.js';
import { portalSessionView } from '../billing/records.js';
import { parseWith, readBody } from '../http/params.js';
import { respond } from '../http/idempotency.js';
import { idParam, urlParam } from '../http/schemas.js';
import type { Deps } from '../context.js';
import { baseUrl } from './hosted-pages.js';

const createSchema = z.object({ customer: z.object({ id: idParam }).strict(), redirect_url: urlParam.optional() }).strict();

/** Portal sessions: create, retrieve, logout (merchant side, secret key). */
export function portalRoutes(d: Deps): Hono {
  const app = new Hono();
  const portal = new Portal(d);
  const { db } = d.storage;

  app.post('/api/v2/portal_sessions', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(createSchema, body, form);
    return respond(c, db, async (trx) => ({ portal_session: await portal.create(trx, p.customer.id, p.redirect_url, baseUrl(d, c)) }));
  });

  app.get('/api/v2/portal_sessions/:id', async (c) => c.json({ portal_session: portalSessionView(await portal.get(db, c.req.param('id'))) }));

  app.post('/api/v2/portal_sessions/:id/logout', async (c) => respond(c, db, async (trx) => ({ portal_session: await portal.logout(trx, c.req.param('id')) })));

  return app;
}
