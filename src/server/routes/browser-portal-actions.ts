import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { idParam } from '../../core/params/common.js';
import {
  portalAccountParams, portalCancelParams, portalCardParams, portalChangeEstimateParams, portalChangeParams, portalPackParams, portalPayParams, portalScheduledPackParams,
} from '../../core/params/portal.js';
import type { PortalSession } from '../billing/records.js';
import type { Deps } from '../context.js';
import type { Trx } from '../db/transaction.js';
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
  /** A keyed write: the session first, then the body by its schema, then the service in one transaction. */
  const write = <S extends z.ZodMiniType>(path: string, schema: S, act: (trx: Trx, session: PortalSession, p: z.output<S>, c: Context) => Promise<object>) =>
    app.post(`${BASE}/${path}`, async (c) => {
      const session = await access.session(c);
      const p = await body(c, schema);
      return respond(c, db, (trx) => act(trx, session, p, c));
    });

  // ---------------------------------------------------------------- subscriptions
  app.get(`${BASE}/subscriptions/:id`, noParams, async (c) => c.json(await subs.view(db, await access.session(c), id(c))));
  app.get(`${BASE}/subscriptions/:id/options`, noParams, async (c) => c.json(await subs.options(db, await access.session(c), id(c))));
  app.post(`${BASE}/subscriptions/:id/estimate`, async (c) => {
    const session = await access.session(c);
    return c.json(await subs.estimate(db, session, id(c), await body(c, portalChangeEstimateParams)));
  });
  write('subscriptions/:id/change', portalChangeParams, (trx, session, p, c) => subs.change(trx, session, id(c), p));
  write('subscriptions/:id/remove_scheduled_changes', nothing, (trx, session, _p, c) => subs.removeScheduledChanges(trx, session, id(c)));
  write('subscriptions/:id/cancel', portalCancelParams, (trx, session, p, c) => subs.cancel(trx, session, id(c), p.cancel_reason_code));
  write('subscriptions/:id/remove_scheduled_cancellation', nothing, (trx, session, _p, c) => subs.removeScheduledCancellation(trx, session, id(c)));
  write('subscriptions/:id/reactivate', portalPayParams, (trx, session, p, c) => subs.reactivate(trx, session, id(c), p.card_token));
  write('subscriptions/:id/charge_addon', portalPackParams, (trx, session, p, c) => subs.buyPack(trx, session, id(c), p));
  write('subscriptions/:id/charge_addon_at_term_end', portalScheduledPackParams, (trx, session, p, c) => subs.schedulePack(trx, session, id(c), p));

  // ---------------------------------------------------------------- account, cards, invoices
  write('account', portalAccountParams, (trx, session, p) => account.update(trx, session, p));
  write('payment_sources', portalCardParams, (trx, session, p) => account.addCard(trx, session, p.card_token, p.primary));
  write('payment_sources/:id/make_primary', nothing, (trx, session, _p, c) => account.makePrimary(trx, session, id(c)));
  write('payment_sources/:id/delete', nothing, (trx, session, _p, c) => account.removeCard(trx, session, id(c)));
  write('invoices/:id/collect', portalPayParams, (trx, session, p, c) => account.pay(trx, session, id(c), p.card_token));
  app.post(`${BASE}/invoices/:id/pdf`, async (c) => {
    const session = await access.session(c);
    await body(c, nothing);
    return c.json(await account.pdf(db, session, id(c), baseUrl(d, c)));
  });

  return app;
}
