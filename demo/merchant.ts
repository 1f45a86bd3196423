/**
 * Inkwell, the demo merchant: a tagline generator that spends prepaid credits (seed 000). Its server holds the
 * secret key and talks to the Paylit backend with the official `chargebee` SDK, exactly as a merchant on Chargebee
 * would; it keeps each customer's credits with `paylit/merchant`'s ledger, fed by the backend's webhooks.
 */
import { randomBytes } from 'node:crypto';
import Chargebee from 'chargebee';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { applicableAddons } from '../src/core/applicability.js';
import { parseOrThrow } from '../src/core/errors.js';
import { type Addon, addonSchema } from '../src/core/schemas/addon.js';
import { type Plan, planSchema } from '../src/core/schemas/plan.js';
import { CreditLedger, createWebhookHandler, InsufficientCreditsError, LedgerInputError, packCredits } from '../src/merchant/index.js';

export interface MerchantOptions {
  /** The Paylit backend, as this server reaches it. */
  readonly backendUrl: string;
  /** The backend as the customer's browser reaches it (the script tag's origin); default backendUrl. */
  readonly publicBackendUrl?: string | undefined;
  readonly site: string;
  readonly apiKey: string;
  readonly publishableKey: string;
  /** This site's own origin (redirect URLs). */
  readonly origin: string;
  /** The ledger's database: PostgreSQL URL, else SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly schema?: string | undefined;
  readonly webhook: { readonly username: string; readonly password: string; readonly secret: string };
  /** Below this many credits the top-up offer opens. */
  readonly lowBalance: number;
  /** What one "Use credits" costs. */
  readonly cost: number;
}

export interface Merchant {
  readonly app: Hono;
  readonly ledger: CreditLedger;
  close(): Promise<void>;
}

const USER_COOKIE = 'inkwell_user';
const userId = z.string().regex(/^cus_ink_[0-9a-f]{16}$/);

class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 402 | 403 | 404 | 409 | 502,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

/** The Chargebee SDK pointed at a Paylit backend URL: its host goes in `site` + `hostSuffix`. */
export function sdkFor(backendUrl: string, apiKey: string): InstanceType<typeof Chargebee> {
  const u = new URL(backendUrl);
  const dot = u.hostname.indexOf('.');
  const site = dot < 0 ? u.hostname : u.hostname.slice(0, dot);
  const hostSuffix = dot < 0 ? '' : u.hostname.slice(dot);
  return new Chargebee({
    site,
    apiKey,
    hostSuffix,
    protocol: u.protocol.replace(':', ''),
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    timeout: 15_000,
  } as never);
}

const body = async <T>(c: Context, schema: z.ZodType<T>): Promise<T> => {
  let raw: unknown = {};
  const text = await c.req.text();
  if (text) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'The body is not JSON.');
    }
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new HttpError(400, `${i.path.join('.') || 'body'}: ${i.message}`, i.path.join('.'));
  }
  return r.data;
};

const packLine = z.object({ id: z.string().min(1).max(100), quantity: z.number().int().min(1).max(1000) }).strict();
const checkoutBody = z.object({ plan_id: z.string().min(1).max(100), addons: z.array(packLine).max(10).default([]) }).strict();
const topUpBody = z
  .object({
    choice: z.enum(['replenish_now', 'add_at_renewal', 'change_pack', 'no_thanks']),
    addon_id: z.string().min(1).max(100).optional(),
    quantity: z.number().int().min(1).max(1000).default(1),
  })
  .strict();
const useBody = z.object({ prompt: z.string().max(200).default(''), credits: z.number().int().min(1).max(100_000).optional() }).strict();

/** A chargebee SDK error (it carries Chargebee's error shape). */
const sdkError = z.looseObject({ http_status_code: z.number(), message: z.string(), api_error_code: z.string().optional(), param: z.string().optional() });

const TAGLINES = [
  (p: string) => `${p}: made for the way you work.`,
  (p: string) => `Less fuss, more ${p}.`,
  (p: string) => `${p}, without the wait.`,
  (p: string) => `The ${p} your Monday deserves.`,
  (p: string) => `${p}. Simply, finally, yours.`,
];

export async function createMerchant(o: MerchantOptions): Promise<Merchant> {
  const cb = sdkFor(o.backendUrl, o.apiKey);
  let catalogCache: { at: number; plans: Plan[]; addons: Addon[] } | undefined;
  const catalog = async () => {
    if (catalogCache && Date.now() - catalogCache.at < 30_000) return catalogCache;
    const plans: Plan[] = [];
    const addons: Addon[] = [];
    for (let offset: string | undefined, i = 0; i < 20; i++) {
      const r = await cb.plan.list({ limit: 100, 'status[is]': 'active', ...(offset && { offset }) } as never);
      for (const e of r.list) plans.push(parseOrThrow(planSchema, e.plan));
      offset = r.next_offset;
      if (!offset) break;
    }
    for (let offset: string | undefined, i = 0; i < 20; i++) {
      const r = await cb.addon.list({ limit: 100, 'status[is]': 'active', ...(offset && { offset }) } as never);
      for (const e of r.list) addons.push(parseOrThrow(addonSchema, e.addon));
      offset = r.next_offset;
      if (!offset) break;
    }
    catalogCache = { at: Date.now(), plans, addons };
    return catalogCache;
  };
  /**
   * Plans sold here: flat monthly fees in USD, offered in hosted pages, with no trial and nothing else attached, and
   * at least one credit pack. Cheapest first, packs smallest first.
   */
  const offer = async () => {
    const { plans, addons } = await catalog();
    return plans
      .filter((p) => p.currency_code === 'USD' && p.period_unit === 'month' && p.period === 1 && p.pricing_model === 'flat_fee')
      .filter((p) => p.enabled_in_hosted_pages !== false && !p.trial_period && !p.event_based_addons?.length && !p.attached_addons?.some((a) => a.type === 'mandatory'))
      .map((plan) => ({
        plan,
        packs: applicableAddons(plan, addons)
          .offered.map((x) => x.addon)
          .filter((a) => packCredits(a) !== undefined)
          .sort((a, b) => packCredits(a)! - packCredits(b)!),
      }))
      .filter((x) => x.packs.length > 0)
      .sort((a, b) => (a.plan.price ?? 0) - (b.plan.price ?? 0));
  };

  const ledger = await CreditLedger.open({
    databaseUrl: o.databaseUrl,
    dataDir: o.dataDir,
    schema: o.schema,
    lowBalanceThreshold: o.lowBalance,
    // The pack's size is the addon's meta_data.credits, read through the billing API.
    creditsPerPack: async (id) => {
      const cached = (await catalog()).addons.find((a) => a.id === id);
      if (cached) return packCredits(cached);
      return packCredits((await cb.addon.retrieve(id)).addon);
    },
  });
  /**
   * Checkouts paid whose `success` never reached this server (the customer reloaded or closed the tab right after Pay,
   * before the callback): on Chargebee, as here, they are the hosted pages still `succeeded`, not yet `acknowledged`.
   * Nothing is lost meanwhile: the credits come with the payment_succeeded webhook whether or not `success` runs. A page
   * is acknowledged once what it sold is done here, its invoice's credits in the ledger; until then it stays in the list
   * for the next sweep. Run after each payment_succeeded webhook (a moment after the payment) and every minute.
   */
  const acknowledgePaidPages = async (): Promise<void> => {
    for (let offset: string | undefined, i = 0; i < 20; i++) {
      const r = await cb.hostedPage.list({ limit: 100, state: { is: 'succeeded' }, type: { is: 'checkout_new' }, ...(offset && { offset }) });
      for (const { hosted_page: page } of r.list) {
        const content = (page.content ?? {}) as { customer?: { id?: string }; invoice?: { id?: string } };
        const customer = userId.safeParse(content.customer?.id);
        if (!page.id || !customer.success) continue; // not a checkout of this shop's
        const invoice = content.invoice?.id;
        if (invoice && !(await ledger.history(customer.data, { limit: 100 })).some((e) => e.invoiceId === invoice)) continue;
        await cb.hostedPage.acknowledge(page.id);
      }
      offset = r.next_offset;
      if (!offset) break;
    }
  };
  // One sweep at a time; a request for one while it runs makes one more after it.
  let sweeping: Promise<void> | undefined;
  let sweepAgain = false;
  const sweep = (): void => {
    if (sweeping) {
      sweepAgain = true;
      return;
    }
    sweeping = acknowledgePaidPages()
      .catch((e: unknown) => console.error(`acknowledging paid checkouts: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        sweeping = undefined;
        if (sweepAgain) {
          sweepAgain = false;
          sweep();
        }
      });
  };
  const sweepTimer = setInterval(sweep, 60_000);
  sweepTimer.unref();
  const handleWebhook = createWebhookHandler({
    ledger,
    secret: o.webhook.secret,
    basicAuth: { username: o.webhook.username, password: o.webhook.password },
    // After the ledger has credited a payment: its checkout, if `success` never came, can be acknowledged now.
    onEvent: (event) => {
      if (event.event_type === 'payment_succeeded') sweep();
    },
  });
  /** Demo admin switch: the webhook endpoint answers 503, as if it were down. */
  let webhooksDown = false;

  const app = new Hono();

  app.onError((e, c) => {
    if (e instanceof HttpError) return c.json({ message: e.message, ...(e.param && { param: e.param }) }, e.status);
    if (e instanceof InsufficientCreditsError) return c.json({ message: e.message, balance: e.balance, api_error_code: e.code }, 402);
    if (e instanceof LedgerInputError) return c.json({ message: e.message, param: e.field }, 400);
    const se = sdkError.safeParse(e);
    if (se.success) {
      // The backend's message is meant for the merchant; the customer gets a plain one, the log the detail.
      console.error(`billing API: ${String(se.data.http_status_code)} ${se.data.message}`);
      const status = se.data.http_status_code === 402 ? 402 : se.data.http_status_code >= 500 ? 502 : 400;
      return c.json({ message: se.data.message, ...(se.data.param && { param: se.data.param }) }, status);
    }
    console.error(e);
    return c.json({ message: 'Something went wrong on our side.' }, 500);
  });

  /** The signed-in user (a demo: an anonymous account per browser, in a cookie). */
  const user = (c: Context): string => {
    const r = userId.safeParse(getCookie(c, USER_COOKIE));
    return r.success ? r.data : newUser(c);
  };
  const newUser = (c: Context): string => {
    const id = `cus_ink_${randomBytes(8).toString('hex')}`;
    setCookie(c, USER_COOKIE, id, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
    return id;
  };

  const subscriptionOf = async (customerId: string) => {
    const r = await cb.subscription.list({ limit: 10, 'customer_id[is]': customerId, 'sort_by[desc]': 'created_at' } as never);
    const subs = r.list.map((e) => e.subscription);
    return subs.find((s) => s.status !== 'cancelled') ?? subs[0];
  };
  const customerOf = async (customerId: string) => {
    try {
      return (await cb.customer.retrieve(customerId)).customer;
    } catch (e) {
      if (sdkError.safeParse(e).data?.http_status_code === 404) return undefined;
      throw e;
    }
  };

  app.get('/api/config', (c) => {
    user(c);
    return c.json({ site: o.site, domain: o.publicBackendUrl ?? o.backendUrl, publishableKey: o.publishableKey, threshold: o.lowBalance, cost: o.cost });
  });

  app.get('/api/catalog', async (c) => c.json({ offers: await offer() }));

  app.get('/api/account', async (c) => {
    const id = user(c);
    const [customer, subscription, balance, history, { plans }] = await Promise.all([customerOf(id), subscriptionOf(id), ledger.balance(id), ledger.history(id, { limit: 20 }), catalog()]);
    // The plan's name as customers read it, whether or not the shop still sells it (the portal may have changed it).
    const plan = subscription && plans.find((p) => p.id === subscription.plan_id);
    const plan_name = plan ? (plan.invoice_name ?? plan.name) : undefined;
    return c.json({ id, customer: customer ?? null, subscription: subscription ? { ...subscription, plan_name } : null, balance, low: ledger.isLow(balance), threshold: ledger.threshold, history });
  });

  // Steps 2–4: the plan and packs the customer chose become a hosted page, created here with the secret key.
  app.post('/api/checkout', async (c) => {
    const id = user(c);
    const p = await body(c, checkoutBody);
    const offered = (await offer()).find((x) => x.plan.id === p.plan_id);
    if (!offered) throw new HttpError(400, `We do not sell the plan "${p.plan_id}".`, 'plan_id');
    for (const a of p.addons) if (!offered.packs.some((x) => x.id === a.id)) throw new HttpError(400, `"${a.id}" is not a credit pack of this plan.`, 'addons');
    // The seed's "custom JavaScript" rule, enforced here too: the page never opens without a pack.
    if (!p.addons.length) throw new HttpError(400, 'Choose a credit pack to continue.', 'addons');
    const current = await subscriptionOf(id);
    if (current && current.status !== 'cancelled') throw new HttpError(409, 'You already have a subscription: top up from your account.', 'plan_id');
    const { hosted_page } = await cb.hostedPage.checkoutNew({
      subscription: { plan_id: p.plan_id },
      addons: p.addons.map((a) => ({ id: a.id, quantity: a.quantity })),
      customer: { id },
      // No redirect_url: in the modal the page stays, and `success` carries on (with one, Paylit.js would navigate).
      embed: true,
    } as never);
    return c.json(hosted_page);
  });

  // Step 4: `success` in the browser; the server checks the page itself, then acknowledges it.
  app.post('/api/checkout/:id/complete', async (c) => {
    const id = user(c);
    const pageId = z.string().min(1).max(100).safeParse(c.req.param('id'));
    if (!pageId.success) throw new HttpError(400, 'hosted page id: is not valid', 'id');
    const { hosted_page: page } = await cb.hostedPage.retrieve(pageId.data);
    const content = (page.content ?? {}) as { customer?: { id?: string }; subscription?: { id?: string; customer_id?: string } };
    if ((content.customer?.id ?? content.subscription?.customer_id) !== id) throw new HttpError(403, 'This checkout belongs to someone else.');
    if (page.state === 'succeeded') await cb.hostedPage.acknowledge(pageId.data);
    else if (page.state !== 'acknowledged') throw new HttpError(409, `The checkout is ${String(page.state)}, not paid.`);
    return c.json({ subscription: content.subscription ?? null, state: 'acknowledged' });
  });

  // Steps 7 and 8: a portal session for this customer; the browser opens the portal (ADDRESS, the subscription, cards, invoices) with it.
  app.post('/api/portal', async (c) => {
    const id = user(c);
    if (!(await customerOf(id))) throw new HttpError(404, 'Buy a pack first: there is no billing account yet.');
    const { portal_session } = await cb.portalSession.create({ customer: { id }, redirect_url: `${o.origin}/` } as never);
    return c.json(portal_session);
  });

  // Step 6: spending. One atomic debit; the balance never goes below zero.
  app.post('/api/use', async (c) => {
    const id = user(c);
    const p = await body(c, useBody);
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !/^[\w-]{8,100}$/.test(key)) throw new HttpError(400, 'Idempotency-Key: 8 to 100 letters, digits, _ or -', 'Idempotency-Key');
    const credits = p.credits ?? o.cost;
    const prompt = p.prompt.trim() || 'Your product';
    const m = await ledger.debit(id, credits, { ...(key && { reference: key }), description: `Tagline for "${prompt.slice(0, 60)}"` });
    const tagline = TAGLINES[m.entry.id % TAGLINES.length]!(prompt);
    return c.json({ tagline, balance: m.balance, low: m.low, spent: credits, replayed: m.replayed });
  });

  // "No thanks" undone: the subscription renews again (remove_scheduled_cancellation).
  app.post('/api/renew-again', async (c) => {
    const sub = await subscriptionOf(user(c));
    if (!sub || sub.status !== 'non_renewing') throw new HttpError(409, 'The subscription is not set to end.');
    const { subscription } = await cb.subscription.removeScheduledCancellation(sub.id, {} as never);
    return c.json({ subscription });
  });

  // Step 6: the low-balance offer's four answers.
  app.post('/api/topup', async (c) => {
    const id = user(c);
    const p = await body(c, topUpBody);
    const sub = await subscriptionOf(id);
    if (!sub || sub.status === 'cancelled') throw new HttpError(409, 'There is no live subscription to top up.');
    const key = c.req.header('idempotency-key');
    const headers = key && /^[\w-]{8,100}$/.test(key) ? { 'chargebee-idempotency-key': key } : {};
    if (p.choice === 'no_thanks') {
      const { subscription } = await cb.subscription.cancel(sub.id, { end_of_term: true } as never, headers as never);
      return c.json({ choice: p.choice, subscription });
    }
    const offered = (await offer()).find((x) => x.plan.id === sub.plan_id);
    const addonId = p.addon_id;
    if (!addonId || !offered?.packs.some((x) => x.id === addonId)) throw new HttpError(400, 'addon_id: choose one of the credit packs', 'addon_id');
    if (p.choice === 'add_at_renewal') {
      if (sub.status !== 'active' && sub.status !== 'in_trial') throw new HttpError(409, `The subscription is ${String(sub.status)}: it will not renew.`);
      const r = await cb.subscription.chargeAddonAtTermEnd(sub.id, { addon_id: addonId, addon_quantity: p.quantity } as never, headers as never);
      return c.json({ choice: p.choice, subscription: (r as unknown as { subscription: unknown }).subscription });
    }
    // replenish_now and change_pack: charged now, to the card on file; the webhook brings the credits.
    const { invoice } = await cb.invoice.chargeAddon({ subscription_id: sub.id, addon_id: addonId, addon_quantity: p.quantity } as never, headers as never);
    // The card on file declined: the invoice stays due (dunning retries it); say so rather than wait for credits.
    if (invoice.status !== 'paid') throw new HttpError(402, 'Your card was declined. Update it in the billing portal, then try again.');
    return c.json({ choice: p.choice, invoice });
  });

  // Demo admin: move the backend's time machine to just after the renewal, so the scheduled pack is charged.
  app.post('/api/admin/renew', async (c) => {
    const id = user(c);
    const sub = await subscriptionOf(id);
    const end = sub?.current_term_end;
    if (!sub || !end) throw new HttpError(409, 'There is no subscription with a renewal date.');
    const { time_machine } = await cb.timeMachine.travelForward('delorean', { destination_time: end + 60 } as never);
    return c.json({ time_machine });
  });

  app.post('/api/admin/new-user', (c) => c.json({ id: newUser(c) }));

  app.post('/api/admin/webhooks', async (c) => {
    const p = await body(c, z.object({ down: z.boolean() }).strict());
    webhooksDown = p.down;
    return c.json({ down: webhooksDown });
  });
  app.get('/api/admin/webhooks', (c) => c.json({ down: webhooksDown }));

  // Step 5: the backend's webhooks credit the ledger.
  app.post('/webhooks/paylit', async (c) => {
    if (webhooksDown) return c.json({ message: 'down for the demo' }, 503);
    const r = await handleWebhook({ body: await c.req.text(), headers: c.req.raw.headers });
    return c.json(r.body, r.status);
  });

  return {
    app,
    ledger,
    close: async () => {
      clearInterval(sweepTimer);
      await sweeping;
      await ledger.close();
    },
  };
}
