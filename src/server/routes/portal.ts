import { Hono } from 'hono';
import * as z from 'zod/mini';
import { idParam, urlParam } from '../../core/params/common.js';
import { portalSessionView } from '../billing/records.js';
import type { Deps } from '../context.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody } from '../http/params.js';
import type { Services } from '../services.js';
import { baseUrl } from '../http/base-url.js';

const createSchema = z.strictObject({ customer: z.strictObject({ id: idParam }), redirect_url: z.optional(urlParam) });

/** Portal sessions: create, retrieve, logout (merchant side, secret key). */
export function portalRoutes(d: Deps, s: Services): Hono {
  const app = new Hono();
  const { db } = d.storage;

  app.post('/api/v2/portal_sessions', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(createSchema, body, form, c);
    return respond(c, db, async (trx) => ({ portal_session: await s.portal.create(trx, p.customer.id, p.redirect_url, baseUrl(d, c)) }));
  });
  app.get('/api/v2/portal_sessions/:id', noParams, async (c) => c.json({ portal_session: portalSessionView(await s.portal.get(db, c.req.param('id'))) }));
  app.post('/api/v2/portal_sessions/:id/logout', noParams, async (c) => respond(c, db, async (trx) => ({ portal_session: await s.portal.logout(trx, c.req.param('id')) })));

  return app;
}
