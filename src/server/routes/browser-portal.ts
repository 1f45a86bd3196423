import { Hono } from 'hono';
import * as z from 'zod/mini';
import { addressParam } from '../../core/params/checkout.js';
import type { Deps } from '../context.js';
import type { BrowserAccess } from '../http/browser-access.js';
import { respond } from '../http/idempotency.js';
import { noParams, parseWith, readBody } from '../http/params.js';
import type { Services } from '../services.js';

const activation = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(100)), token: z.string().check(z.minLength(1), z.maxLength(200)) });
const addresses = z.strictObject({ billing_address: addressParam, shipping_address: z.optional(addressParam) });

/** The portal's browser routes: activation with the session's token, then each section with the portal key. */
export function browserPortalRoutes(d: Deps, s: Services, access: BrowserAccess): Hono {
  const app = new Hono();
  const { db } = d.storage;
  const { portal } = s;

  /** Activation: the session's token, once, buys the browser a key for the session's hour. */
  app.post('/api/browser/v2/portal_sessions/activate', async (c) => {
    const { body, form } = await readBody(c);
    const p = parseWith(activation, body, form, c);
    access.limit(`ps:${p.id}`);
    return respond(c, db, (trx) => portal.activate(trx, p.id, p.token));
  });

  app.get('/api/browser/v2/portal/address', noParams, async (c) => c.json(await portal.address(db, await access.session(c))));
  app.post('/api/browser/v2/portal/address', async (c) => {
    const session = await access.session(c);
    const { body, form } = await readBody(c);
    const p = parseWith(addresses, body, form, c);
    return respond(c, db, async (trx) => {
      const r = await portal.updateAddress(trx, session, p.billing_address, p.shipping_address);
      return { billing_address: r.customer.billing_address ?? null, ...(r.shipping_address && { shipping_address: r.shipping_address }), customer: { id: r.customer.id } };
    });
  });

  /** The read-only sections: the account, the subscriptions, the invoices, the payment sources. */
  app.get('/api/browser/v2/portal/account', noParams, async (c) => c.json(await portal.account(db, await access.session(c))));
  app.get('/api/browser/v2/portal/subscriptions', noParams, async (c) => c.json(await portal.subscriptionList(db, await access.session(c))));
  app.get('/api/browser/v2/portal/invoices', noParams, async (c) => c.json(await portal.invoices(db, await access.session(c))));
  app.get('/api/browser/v2/portal/payment_sources', noParams, async (c) => c.json(await portal.paymentSources(db, await access.session(c))));

  app.post('/api/browser/v2/portal/logout', noParams, async (c) => {
    const session = await access.session(c);
    return respond(c, db, async (trx) => {
      await portal.logout(trx, session.id);
      return { ok: true };
    });
  });

  return app;
}
