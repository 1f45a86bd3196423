import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { applicableAddons } from '../../core/applicability.js';
import { cartProblems, type CheckoutChoices, checkoutChoicesSchema, planProblem } from '../../core/cart.js';
import { PaylitValidationError } from '../../core/errors.js';
import type { Estimate } from '../../core/estimate.js';
import { addPeriod } from '../../core/periods.js';
import { addressSchema, type Customer } from '../../core/schemas/customer.js';
import type { HostedPage } from '../../core/schemas/hosted-page.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import type { Database } from '../db/types.js';
import { ApiError, invalidState, notFound, paramError } from '../http/errors.js';
import { toApiError } from '../http/params.js';
import { newCustomer, parseNested } from '../http/schemas.js';
import { renamed } from '../routes/billing.js';
import { type Deps, nextVersion } from '../routes/context.js';
import { Billing, newId, type NewSubscriptionParams } from './billing.js';
import { Payments } from '../payments/payments.js';
import { readBranding } from '../site.js';
import type { CheckoutRequest, StoredHostedPage } from './records.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Hosted pages expire three hours after creation (they can still be retrieved, not completed). */
export const HOSTED_PAGE_TTL = 3 * 3600;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newToken = () => randomBytes(24).toString('base64url');
export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(sha256(token));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `url?id=..&state=..`, keeping the URL's own query. */
export function withResult(url: string, id: string, state: string): string {
  const u = new URL(url);
  u.searchParams.set('id', id);
  u.searchParams.set('state', state);
  return u.toString();
}

/** What the customer's browser may change on the page before submitting: the core's cart model. */
export const choicesSchema = checkoutChoicesSchema;
export type Choices = CheckoutChoices;

/** Customer fields a browser may fill in on a new checkout. */
const CUSTOMER_FIELDS = ['email', 'first_name', 'last_name', 'company', 'phone', 'locale'];

/**
 * Hosted checkout pages: created by the merchant's server (or a drop-in button), opened, filled in and submitted by
 * the customer's browser with the page's own token, then retrieved and acknowledged by the merchant.
 */
export class Checkout {
  readonly billing: Billing;
  private readonly payments: Payments;
  constructor(private readonly d: Deps) {
    this.billing = new Billing(d, 'hosted_page');
    this.payments = new Payments(d);
  }

  private get s() {
    return this.d.stores;
  }

  /** Stores a new page; returns it with its token-bearing url (the only time the token is given out). */
  async create(
    trx: Db,
    o: {
      type: HostedPage['type'];
      request: CheckoutRequest;
      baseUrl: string;
      redirect_url?: string | undefined;
      cancel_url?: string | undefined;
      pass_thru_content?: string | undefined;
      embed?: boolean | undefined;
      layout?: 'in_app' | 'full_page' | undefined;
      drop_in?: boolean;
    },
  ): Promise<HostedPage> {
    const now = this.d.clock.now();
    const id = newId('hp');
    const token = newToken();
    const page: HostedPage = {
      id,
      type: o.type,
      url: `${o.baseUrl}/hosted/checkout/${id}#token=${token}`,
      state: 'created',
      ...(o.pass_thru_content !== undefined && { pass_thru_content: o.pass_thru_content }),
      embed: o.embed ?? true,
      ...(o.layout !== undefined && { layout: o.layout }),
      created_at: now,
      expires_at: now + HOSTED_PAGE_TTL,
      updated_at: now,
      resource_version: nextVersion(now),
      ...(o.request.subscription_id !== undefined && { subscription_id: o.request.subscription_id }),
      object: 'hosted_page',
    };
    const stored: StoredHostedPage = {
      id,
      created_at: now,
      updated_at: now,
      resource_version: page.resource_version!,
      page,
      token_hash: sha256(token),
      request: o.request,
      ...(o.redirect_url !== undefined && { redirect_url: o.redirect_url }),
      ...(o.cancel_url !== undefined && { cancel_url: o.cancel_url }),
      ...(o.drop_in && { drop_in: true }),
    };
    await this.s.hostedPages.insert(trx, stored);
    return page;
  }

  /** The page for its token, or a 401 that does not say whether the page exists. */
  async authorise(db: Db, id: string, token: string | undefined): Promise<StoredHostedPage> {
    const page = await this.s.hostedPages.get(db, id);
    if (!page || !token || !tokenMatches(token, page.token_hash)) {
      throw new ApiError(401, 'api_authentication_failed', 'This checkout link is not valid. Ask the shop for a new one.', undefined, 'api_authentication_failed');
    }
    return page;
  }

  /** The customer of the page: the existing one (new checkout with customer[id], or the subscription's). */
  async existingCustomer(db: Db, r: CheckoutRequest): Promise<Customer | undefined> {
    if (r.kind === 'existing' && r.subscription_id) {
      const sub = await this.s.subscriptions.get(db, r.subscription_id);
      return sub ? this.s.customers.get(db, sub.customer_id) : undefined;
    }
    const id = r.customer?.id;
    return typeof id === 'string' ? this.s.customers.get(db, id) : undefined;
  }

  /** Validates a merchant's new checkout now (all but the addon rule, which the customer meets on the page). */
  async checkNew(db: Db, r: CheckoutRequest, rename: (p: string) => string): Promise<void> {
    await renamed(rename, async () => {
      const plan = await this.billing.plan(db, r.plan_id ?? '');
      if (!plan.enabled_in_hosted_pages) throw paramError('plan_id', `plan "${plan.id}" is not enabled in hosted pages`);
      const customer = await this.existingCustomer(db, r);
      // A new customer's fields and addresses are checked now, as they will be stored at submit.
      const prospect = customer ?? newCustomer('cus_prospect', r.customer, r.billing_address, false, 0);
      if (r.shipping_address) parseNested(addressSchema, r.shipping_address, 'shipping_address', false);
      const address = r.billing_address ? parseNested(addressSchema, r.billing_address, 'billing_address', false) : customer?.billing_address;
      await this.estimateNew(db, r, { billing_address: address, taxability: prospect.taxability }, true);
    });
  }

  /**
   * The estimate of a cart a browser holds (publishable key): the same numbers a checkout of it would charge, with the
   * addon rule applied. Only catalog plans offered in hosted pages; nothing is stored.
   */
  async estimateCart(db: Db, r: CheckoutRequest): Promise<Estimate> {
    const plan = await this.billing.plan(db, r.plan_id ?? '');
    if (!plan.enabled_in_hosted_pages || plan.status !== 'active') throw paramError('plan_id', `plan "${plan.id}" is not offered here`);
    const address = r.billing_address ? parseNested(addressSchema, r.billing_address, 'billing_address', false) : undefined;
    return this.estimateNew(db, r, { billing_address: address, taxability: 'taxable' }, false);
  }

  private async estimateNew(db: Db, r: CheckoutRequest, customer: Pick<Customer, 'billing_address' | 'taxability'>, defer: boolean): Promise<Estimate> {
    const { estimate } = await this.billing.estimateNew(db, subscriptionParams(r), customer, this.d.clock.now(), defer);
    return estimate;
  }

  /** The request with the customer's choices applied. */
  merge(page: StoredHostedPage, choices: Choices): CheckoutRequest {
    const r = page.request;
    if (r.kind === 'existing') {
      const bad = (['plan_id', 'plan_quantity', 'customer', 'billing_address'] as const).filter((k) => choices[k] !== undefined);
      if (bad.length) throw toApiError(bad.map((param) => ({ param, message: 'cannot be changed on this page' })));
      return {
        ...r,
        change: {
          ...r.change,
          ...(choices.addons && { addons: choices.addons, replace_addon_list: true }),
          ...(choices.coupon_ids && { coupon_ids: choices.coupon_ids }),
        },
      };
    }
    const plan = planProblem(choices, r.plan_id ?? '');
    if (plan) throw toApiError([plan]);
    const customer = choices.customer ?? {};
    const bad = Object.keys(customer).filter((k) => !CUSTOMER_FIELDS.includes(k));
    if (bad.length) throw toApiError(bad.map((k) => ({ param: `customer[${k}]`, message: 'is not a field the customer can fill in' })));
    return {
      ...r,
      ...(choices.plan_quantity !== undefined && { plan_quantity: choices.plan_quantity }),
      ...(choices.addons && { addons: choices.addons }),
      ...(choices.coupon_ids && { coupon_ids: choices.coupon_ids }),
      customer: { ...r.customer, ...customer },
      ...(choices.billing_address && { billing_address: choices.billing_address }),
    };
  }

  /** Checks the browser's choices against the catalog and the locked address; returns the page's estimate. */
  async estimate(db: Db, page: StoredHostedPage, r: CheckoutRequest): Promise<Estimate> {
    const customer = await this.existingCustomer(db, page.request);
    if (customer?.billing_address && r.billing_address && page.request.billing_address !== r.billing_address) {
      throw paramError('billing_address', "is already set for this customer and cannot be edited here; use the portal's ADDRESS section");
    }
    if (r.kind === 'existing') {
      const sub = await this.subscriptionOf(db, r);
      return (await this.billing.estimateChange(db, sub, r.change ?? {}, customer, this.d.clock.now())).estimate;
    }
    // The page is the cart: its plan (merge keeps it), and only the addons that plan allows.
    const pagePlan = await this.billing.plan(db, r.plan_id ?? '');
    const problems = cartProblems({ plan_id: r.plan_id, addons: r.addons }, pagePlan, await this.s.addons.all(db, { status: ['active'] }));
    if (problems.length) throw toApiError(problems);
    const address = r.billing_address ? parseNested(addressSchema, r.billing_address, 'billing_address', false) : customer?.billing_address;
    return this.estimateNew(db, r, { billing_address: address, taxability: customer?.taxability ?? 'taxable' }, false);
  }

  private async subscriptionOf(db: Db, r: CheckoutRequest): Promise<Subscription> {
    const sub = r.subscription_id ? await this.s.subscriptions.get(db, r.subscription_id) : undefined;
    if (!sub) throw invalidState('The subscription of this page no longer exists.');
    return sub;
  }

  /** What the page shows: the page, the catalog it may offer, the customer, the subscription and the estimate. */
  async view(db: Db, page: StoredHostedPage) {
    const r = page.request;
    const customer = await this.existingCustomer(db, r);
    const sub = r.kind === 'existing' && r.subscription_id ? await this.s.subscriptions.get(db, r.subscription_id) : undefined;
    const planId = r.kind === 'existing' ? (r.change?.plan_id ?? sub?.plan_id) : r.plan_id;
    const plan = planId ? await this.s.plans.get(db, planId) : undefined;
    const currency = plan?.currency_code ?? sub?.currency_code;
    const addons = await this.s.addons.all(db, { status: ['active'] });
    // Only what this page sells: its plan (and, for a change, the current one, to name it) and the addons the plan
    // allows or brings (seed: applicable addons), so the checkout never offers what the shop did not.
    const plans = [plan, sub && sub.plan_id !== planId ? await this.s.plans.get(db, sub.plan_id) : undefined].filter((p) => p !== undefined);
    const offered = new Set(sub?.addons.map((a) => a.id));
    if (plan) {
      const a = applicableAddons(plan, addons);
      for (const o of [...a.offered, ...a.eventBased]) offered.add(o.addon.id);
    }
    let estimate: Estimate | undefined;
    let estimate_error: { param?: string; message: string } | undefined;
    try {
      estimate = await this.estimate(db, page, r);
    } catch (e) {
      if (e instanceof PaylitValidationError) estimate_error = { param: e.param, message: e.errors[0]?.message ?? e.message };
      else if (e instanceof ApiError && e.status === 400) estimate_error = { ...(e.param !== undefined && { param: e.param }), message: e.message };
      else throw e;
    }
    const given = r.customer ?? {};
    const couponIds = r.kind === 'existing' ? (r.change?.coupon_ids ?? []) : r.coupon_ids;
    // The page's coupons, so the widget's live summary applies exactly what the server will (unknown ids are left out:
    // the estimate error names them).
    const coupons = (await Promise.all((couponIds ?? []).map((id) => this.s.coupons.get(db, id)))).filter((c) => c !== undefined);
    return {
      /** The site clock (the time machine's), so the widget estimates at the instant the server charges. */
      now: this.d.clock.now(),
      /** Whom the customer pays. */
      site: await readBranding(this.d.storage.db, this.d.site.id),
      hosted_page: page.page,
      checkout: {
        kind: r.kind,
        plan_id: planId,
        plan_quantity: r.kind === 'existing' ? r.change?.plan_quantity : r.plan_quantity,
        addons: r.kind === 'existing' ? (r.change?.addons ?? sub?.addons.map((a) => ({ id: a.id, quantity: a.quantity }))) : r.addons,
        coupon_ids: couponIds,
      },
      coupons: coupons.map(publicItem),
      catalog: {
        plans: plans.map(publicItem),
        addons: addons.filter((a) => offered.has(a.id) && (!currency || a.currency_code === currency)).map(publicItem),
      },
      tax_profile: this.d.taxProfile ?? null,
      customer: {
        ...Object.fromEntries(CUSTOMER_FIELDS.map((k) => [k, (customer as Record<string, unknown> | undefined)?.[k] ?? given[k]]).filter(([, v]) => v !== undefined)),
        billing_address: customer?.billing_address ?? r.billing_address,
        billing_address_locked: customer?.billing_address !== undefined,
        taxability: customer?.taxability ?? 'taxable',
      },
      ...(sub && { subscription: sub }),
      ...(estimate && { estimate }),
      ...(estimate_error && { estimate_error }),
    };
  }

  /** Opening the page moves it from created to requested. */
  async open(db: Kysely<Database>, page: StoredHostedPage): Promise<StoredHostedPage> {
    if (page.page.state !== 'created') return page;
    const now = this.d.clock.now();
    const next: StoredHostedPage = { ...page, updated_at: now, resource_version: nextVersion(now, page.resource_version), page: { ...page.page, state: 'requested', updated_at: now, resource_version: nextVersion(now, page.resource_version) } };
    await db.updateTable('hosted_pages').set({ status: 'requested', data: JSON.stringify(next), updated_at: now, resource_version: next.resource_version }).where('site_id', '=', this.d.site.id).where('id', '=', page.id).where('status', '=', 'created').execute();
    return next;
  }

  /** Saves the customer's choices on the page; returns the new view. */
  async save(db: Kysely<Database>, page: StoredHostedPage, choices: Choices) {
    this.assertOpen(page);
    const r = this.merge(page, choices);
    // Bad choices are refused here with the field they name; a missing pack is not an error until submit.
    const next: StoredHostedPage = { ...page, request: r };
    const view = await this.view(db, next);
    const err = view.estimate_error;
    if (err && !(err.param === 'addons' && r.kind === 'new')) throw toApiError([{ param: err.param ?? '', message: err.message.replace(/^\S+ : /, '') }]);
    const now = this.d.clock.now();
    const stored: StoredHostedPage = { ...next, updated_at: now, resource_version: nextVersion(now, page.resource_version) };
    await this.s.hostedPages.update(db, stored);
    return view;
  }

  assertOpen(page: StoredHostedPage): void {
    const state = page.page.state;
    if (state !== 'created' && state !== 'requested') {
      throw new ApiError(409, 'hosted_page_completed', `This checkout is already ${state}.`, undefined, 'invalid_request');
    }
    if (this.d.clock.now() >= page.page.expires_at) {
      throw invalidState('This checkout has expired. Ask the shop for a new link.');
    }
  }

  /**
   * Completes the page once: claims it (created|requested -> succeeded) and, in the same transaction, saves the card,
   * makes the subscription and invoice, charges the card and writes the events. A second submit, racing or late,
   * finds it claimed and gets a 409. A declined card (402) or a missing one (400) rolls everything back: the page
   * stays open for another card.
   */
  async submit(db: Kysely<Database>, pageId: string, choices: Choices | undefined, cardToken?: string) {
    return db.transaction().execute(async (trx) => {
      const now = this.d.clock.now();
      const claimed = await trx
        .updateTable('hosted_pages')
        .set({ status: 'succeeded', updated_at: now })
        .where('site_id', '=', this.d.site.id)
        .where('id', '=', pageId)
        .where('status', 'in', ['created', 'requested'])
        .where('expires_at', '>', now)
        .executeTakeFirst();
      const page = await this.s.hostedPages.get(trx, pageId);
      if (!page) throw notFound('hosted_page', pageId);
      if (Number(claimed.numUpdatedRows) === 0) this.assertOpen(page);
      const r = choices ? this.merge(page, choices) : page.request;
      if (r.kind === 'new') await this.estimate(trx, page, r);
      const result = r.kind === 'new' ? await this.completeNew(trx, page, r, now, cardToken) : await this.completeExisting(trx, r, now, cardToken);
      if (result.invoice?.status === 'payment_due') {
        throw paramError('card_token', `a card is needed to pay ${String(result.invoice.amount_due)} ${result.invoice.currency_code} (minor units) now`);
      }
      const content = { subscription: result.subscription, customer: result.customer, ...(result.invoice && { invoice: result.invoice }) };
      const version = nextVersion(now, page.resource_version);
      const done: StoredHostedPage = { ...page, request: r, updated_at: now, resource_version: version, page: { ...page.page, state: 'succeeded', content, updated_at: now, resource_version: version } };
      await this.s.hostedPages.update(trx, done);
      await this.d.outbox.emit(trx, 'hosted_page_completed', { hosted_page: done.page }, 'hosted_page');
      if (this.d.holdSubmitMs) {
        // Fault tests: hold the finished but uncommitted transaction so the process can be killed here.
        console.log(`fault: holding the submit of ${page.id} for ${String(this.d.holdSubmitMs)} ms before commit`);
        await new Promise((resolve) => setTimeout(resolve, this.d.holdSubmitMs));
      }
      return { hosted_page: done.page, ...(page.redirect_url && { redirect_url: withResult(page.redirect_url, page.id, 'succeeded') }) };
    });
  }

  private async completeNew(trx: Db, page: StoredHostedPage, r: CheckoutRequest, now: number, cardToken: string | undefined) {
    let customer = await this.existingCustomer(trx, page.request);
    if (!customer) {
      const given = r.customer ?? {};
      const id = typeof given.id === 'string' ? given.id : newId('cus');
      customer = newCustomer(id, given, r.billing_address, false, now);
      await this.s.customers.insert(trx, customer);
      await this.d.outbox.emit(trx, 'customer_created', { customer }, 'hosted_page');
    }
    if (cardToken !== undefined) ({ customer } = await this.payments.saveCard(trx, customer, cardToken, now, 'hosted_page'));
    return this.billing.createSubscription(
      trx,
      {
        ...subscriptionParams(r),
        ...(r.shipping_address && { shipping_address: parseNested(addressSchema, r.shipping_address, 'shipping_address', false) }),
      },
      customer,
    );
  }

  private async completeExisting(trx: Db, r: CheckoutRequest, now: number, cardToken: string | undefined) {
    const sub = await this.subscriptionOf(trx, r);
    if (cardToken !== undefined) {
      const customer = await this.billing.customer(trx, sub.customer_id, 'subscription[id]');
      await this.payments.saveCard(trx, customer, cardToken, now, 'hosted_page');
    }
    const { estimate: _e, ...result } = await this.billing.changeSubscription(trx, sub, r.change ?? {});
    return result;
  }

  /** The customer leaves: the page is cancelled and the browser goes to cancel_url. */
  async cancel(db: Kysely<Database>, page: StoredHostedPage) {
    this.assertOpen(page);
    const now = this.d.clock.now();
    const version = nextVersion(now, page.resource_version);
    const next: StoredHostedPage = { ...page, updated_at: now, resource_version: version, page: { ...page.page, state: 'cancelled', updated_at: now, resource_version: version } };
    await this.s.hostedPages.update(db, next);
    return { hosted_page: next.page, ...(page.cancel_url && { redirect_url: withResult(page.cancel_url, page.id, 'cancelled') }) };
  }

  /** Merchant: acknowledge a succeeded page (idempotent). */
  async acknowledge(db: Kysely<Database>, id: string): Promise<HostedPage> {
    return db.transaction().execute(async (trx) => {
      const page = await this.s.hostedPages.get(trx, id);
      if (!page) throw notFound('hosted_page', id);
      if (page.page.state === 'acknowledged') return page.page;
      if (page.page.state !== 'succeeded') throw invalidState(`Only a succeeded hosted page can be acknowledged; this one is ${page.page.state}.`);
      const now = this.d.clock.now();
      const version = nextVersion(now, page.resource_version);
      const next: StoredHostedPage = { ...page, updated_at: now, resource_version: version, page: { ...page.page, state: 'acknowledged', updated_at: now, resource_version: version } };
      await this.s.hostedPages.update(trx, next);
      return next.page;
    });
  }
}

/** The subscription a new checkout will create, as the billing service takes it. */
function subscriptionParams(r: CheckoutRequest): NewSubscriptionParams {
  return {
    plan_id: r.plan_id ?? '',
    plan_quantity: r.plan_quantity,
    addons: r.addons,
    coupon_ids: r.coupon_ids,
    trial_end: r.trial_end,
    billing_cycles: r.billing_cycles,
    start_date: r.start_date,
  };
}

/** Catalog entries as a customer's browser may see them: no accounting or tax-profile internals. */
const INTERNAL = ['sku', 'accounting_code', 'accounting_category1', 'accounting_category2', 'accounting_category3', 'accounting_category4', 'tax_profile_id', 'invoice_notes'];
export function publicItem<T extends object>(r: T): T {
  const out = { ...r } as Record<string, unknown>;
  for (const k of INTERNAL) delete out[k];
  return out as T;
}

/** One calendar month before `t` (13 Jan -> 13 Dec; 31 Mar -> 28 Feb). */
export const monthBack = (t: number) => addPeriod(t, -1, 'month');
