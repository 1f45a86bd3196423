import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { idParam } from '../../core/params/common.js';
import {
  portalAccountParams, portalCancelParams, portalCardParams, portalChangeEstimateParams, portalChangeParams, portalPackParams, portalPayParams, portalScheduledPackParams,
} from '../../core/params/portal.js';
import type { Deps } from '../context.js';
import type { BrowserAccess } from '../http/browser-access.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody } from '../http/params.js';
import type { Services } from '../services.js';
import { baseUrl } from '../http/base-url.js';

const nothing = z.strictObject({});
const BASE = '/api/browser/v2/portal';

/**
 * The portal's writes, each authorised by the portal session's key (never the secret key), parsed here, decided by
 * the portal services in one transaction with its events, and idempotent by Chargebee-Idempotency-Key.
 */
export function browserPortalActionRoutes(d: Deps, s: Services, access: BrowserAccess): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const subs = s.portalSubscriptions;
  const account = s.portalAccount;

  /** The id in the path, checked like any id (a bad one is a 404: no such thing for this customer). */
  const id = (c: Context) => parseWith(z.strictObject({ id: idParam }), { id: c.req.param('id') }, false).id;
  const body = async <S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.output<S>> => {
    const { body: b, form } = await readBody(c);
    return parseWith(schema, b, form, c);
  };

  // ---------------------------------------------------------------- subscriptions
  app.get(`${BASE}/subscriptions/:id`, noParams, async (c) => c.json(await subs.view(db, await access.session(c), id(c))));
  app.get(`${BASE}/subscriptions/:id/options`, noParams, async (c) => c.json(await subs.options(db, await access.session(c), id(c))));
  app.post(`${BASE}/subscriptions/:id/estimate`, async (c) => {
    const session = await access.session(c);
    return c.json(await subs.estimate(db, session, id(c), await body(c, portalChangeEstimateParams)));
  });
  app.post(`${BASE}/subscriptions/:id/change`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalChangeParams);
    return respond(c, db, (trx) => subs.change(trx, session, id(c), p));
  });
  app.post(`${BASE}/subscriptions/:id/remove_scheduled_changes`, async (c) => {
    const session = await access.session(c);
    await body(c, nothing);
    return respond(c, db, (trx) => subs.removeScheduledChanges(trx, session, id(c)));
  });
  app.post(`${BASE}/subscriptions/:id/cancel`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalCancelParams);
    return respond(c, db, (trx) => subs.cancel(trx, session, id(c), p.cancel_reason_code));
  });
  app.post(`${BASE}/subscriptions/:id/remove_scheduled_cancellation`, async (c) => {
    const session = await access.session(c);
    await body(c, nothing);
    return respond(c, db, (trx) => subs.removeScheduledCancellation(trx, session, id(c)));
  });
  app.post(`${BASE}/subscriptions/:id/reactivate`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalPayParams);
    return respond(c, db, (trx) => subs.reactivate(trx, session, id(c), p.card_token));
  });
  app.post(`${BASE}/subscriptions/:id/charge_addon`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalPackParams);
    return respond(c, db, (trx) => subs.buyPack(trx, session, id(c), p));
  });
  app.post(`${BASE}/subscriptions/:id/charge_addon_at_term_end`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalScheduledPackParams);
    return respond(c, db, (trx) => subs.schedulePack(trx, session, id(c), p));
  });

  // ---------------------------------------------------------------- account, cards, invoices
  app.post(`${BASE}/account`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalAccountParams);
    return respond(c, db, (trx) => account.update(trx, session, p));
  });
  app.post(`${BASE}/payment_sources`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalCardParams);
    return respond(c, db, (trx) => account.addCard(trx, session, p.card_token, p.primary));
  });
  app.post(`${BASE}/payment_sources/:id/make_primary`, async (c) => {
    const session = await access.session(c);
    await body(c, nothing);
    return respond(c, db, (trx) => account.makePrimary(trx, session, id(c)));
  });
  app.post(`${BASE}/payment_sources/:id/delete`, async (c) => {
    const session = await access.session(c);
    await body(c, nothing);
    return respond(c, db, (trx) => account.removeCard(trx, session, id(c)));
  });
  app.post(`${BASE}/invoices/:id/collect`, async (c) => {
    const session = await access.session(c);
    const p = await body(c, portalPayParams);
    return respond(c, db, (trx) => account.pay(trx, session, id(c), p.card_token));
  });
  app.post(`${BASE}/invoices/:id/pdf`, async (c) => {
    const session = await access.session(c);
    await body(c, nothing);
    return c.json(await account.pdf(db, session, id(c), baseUrl(d, c)));
  });

  return app;
}
