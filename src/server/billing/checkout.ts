import { cartProblems, planProblem } from '../../core/cart.js';
import { type ParamNames, PaylitError, PaylitValidationError, sameNames } from '../../core/errors.js';
import type { Estimate } from '../../core/estimate.js';
import type { ChangeParams } from '../../core/params/change.js';
import type { CheckoutChoicesParams, PageParams } from '../../core/params/checkout.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { HostedPage } from '../../core/schemas/hosted-page.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import { type Deps, nextVersion } from '../context.js';
import { newId, newOrderedId } from '../ids.js';
import type { Kysely } from 'kysely';
import { readOnly } from '../db/read-only.js';
import { type Db, transaction } from '../db/transaction.js';
import type { Database } from '../db/types.js';
import { conflict, invalidState, notFound, paramError, unauthorized } from '../errors.js';
import type { Payments } from '../payments/payments.js';
import { newToken, sha256, tokenMatches } from '../tokens.js';
import type { Changes } from './changes.js';
import type { Customers } from './customers.js';
import type { Estimates } from './estimates.js';
import type { Lookups } from './lookups.js';
import type { CheckoutRequest, NewCheckoutRequest, StoredHostedPage } from './records.js';
import type { Subscriptions } from './subscriptions.js';

/** Refusals of what the customer chose, shown on the page rather than ending it. */
const INPUT_REFUSALS = new Set(['param_wrong_value', 'duplicate_entry', 'invalid_state_for_request', 'invalid_request']);

/** A page's estimate, or why there is none yet. */
export type EstimateOutcome = { estimate: Estimate; error?: undefined } | { estimate?: undefined; error: PaylitError };

/** Hosted pages expire three hours after creation (they can still be retrieved, not completed). */
export const HOSTED_PAGE_TTL = 3 * 3600;
const SOURCE = 'hosted_page';

/** `url?id=..&state=..`, keeping the URL's own query. */
export function withResult(url: string, id: string, state: string): string {
  const u = new URL(url);
  u.searchParams.set('id', id);
  u.searchParams.set('state', state);
  return u.toString();
}

export interface NewPage extends Omit<PageParams, 'iframe_messaging'> {
  readonly type: HostedPage['type'];
  readonly request: CheckoutRequest;
  readonly baseUrl: string;
  /** Made by a drop-in button with the publishable key rather than by the merchant's server. */
  readonly drop_in?: boolean;
}

/**
 * Hosted checkout pages: created by the merchant's server (or a drop-in button), opened, filled in and submitted by
 * the customer's browser with the page's own token, then retrieved and acknowledged by the merchant. A page's state
 * moves only through the store's guarded `claim`.
 */
export class Checkout {
  constructor(
    private readonly d: Deps,
    private readonly lookups: Lookups,
    private readonly estimates: Estimates,
    private readonly customers: Customers,
    private readonly subscriptions: Subscriptions,
    private readonly changes: Changes,
    private readonly payments: Payments,
  ) {}

  private get s() {
    return this.d.stores;
  }

  /** Stores a new page; returns it with its token-bearing url (the only time the token is given out). */
  async create(trx: Db, o: NewPage): Promise<HostedPage> {
    const { page, stored } = this.record(o);
    await this.s.hostedPages.insert(trx, stored);
    return page;
  }

  /**
   * A merchant's new checkout (checkout_new): validated (`checkNew`), then stored. In a transaction (a keyed
   * request's, whose answer commits with it) the page is written there. Given the pool instead, the checks read
   * outside any transaction, through a connection that refuses writes (they only read; under READ COMMITTED a
   * transaction gave their reads no common snapshot anyway), and the one write, the page, joins the pages other
   * requests write at the same time in one group commit. Either way it returns once the page has committed.
   */
  async createNew(db: Db, o: NewPage & { readonly request: NewCheckoutRequest }, names: ParamNames = sameNames): Promise<HostedPage> {
    if (db.isTransaction) {
      await this.checkNew(db, o.request, names);
      return this.create(db, o);
    }
    const pool = db as Kysely<Database>;
    await this.checkNew(readOnly(pool), o.request, names);
    const { page, stored } = this.record(o);
    await this.s.hostedPages.insertGrouped(pool, stored);
    return page;
  }

  /** A new page and its stored record, with a fresh id and token. */
  private record(o: NewPage): { page: HostedPage; stored: StoredHostedPage } {
    const now = this.d.clock.now();
    const id = newOrderedId('hp');
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
      ...(o.request.kind === 'existing' && { subscription_id: o.request.subscription_id }),
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
      ...(o.request.kind === 'new' && o.request.customer?.id === undefined && { new_customer_id: newId('cus') }),
    };
    return { page, stored };
  }

  /**
   * A checkout_existing(_for_items) page, its change validated now as Chargebee does, so a bad page is never handed to
   * a customer. `names`: how the route spells core's parameters.
   */
  async createExisting(trx: Db, subscriptionId: string, change: ChangeParams, page: Omit<NewPage, 'request'>, names: ParamNames = sameNames): Promise<HostedPage> {
    const sub = await this.lookups.subscription(trx, subscriptionId);
    if (!sub) throw paramError('subscription[id]', `subscription "${subscriptionId}" does not exist`);
    const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
    await this.estimates.change(trx, sub, change, customer, this.d.clock.now(), names);
    return this.create(trx, { ...page, request: { kind: 'existing', subscription_id: sub.id, change } });
  }

  /** The page for its token, or a 401 that does not say whether the page exists. */
  async authorise(db: Db, id: string, token: string | undefined): Promise<StoredHostedPage> {
    const page = await this.s.hostedPages.get(db, id);
    if (!page || !token || !tokenMatches(token, page.token_hash)) throw unauthorized('This checkout link is not valid. Ask the shop for a new one.');
    return page;
  }

  /** The customer of the page: the existing one (new checkout with customer[id], or the subscription's). */
  async existingCustomer(db: Db, r: CheckoutRequest): Promise<Customer | undefined> {
    if (r.kind === 'existing') {
      const sub = await this.s.subscriptions.get(db, r.subscription_id);
      return sub ? this.s.customers.get(db, sub.customer_id) : undefined;
    }
    const id = r.customer?.id;
    return id !== undefined ? this.s.customers.get(db, id) : undefined;
  }

  /**
   * Validates a merchant's new checkout now (all but the addon rule, which the customer meets on the page).
   * `names`: how the route spells core's parameters.
   */
  async checkNew(db: Db, r: NewCheckoutRequest, names: ParamNames = sameNames): Promise<void> {
    const catalog = await this.lookups.catalog(db);
    const plan = await this.lookups.plan(db, r.plan_id, names('plan_id'), catalog);
    if (!plan.enabled_in_hosted_pages) throw paramError(names('plan_id'), `plan "${plan.id}" is not enabled in hosted pages`);
    const customer = await this.existingCustomer(db, r);
    const address = r.billing_address ?? customer?.billing_address;
    await this.estimates.newSubscription(db, r, { billing_address: address, taxability: customer?.taxability ?? r.customer?.taxability ?? 'taxable' }, this.d.clock.now(), { defer: true, names, catalog });
  }

  /**
   * The estimate of a cart a browser holds (publishable key): the same numbers a checkout of it would charge, with the
   * addon rule applied. Only catalog plans offered in hosted pages; nothing is stored.
   */
  async estimateCart(db: Db, r: NewCheckoutRequest): Promise<Estimate> {
    const catalog = await this.lookups.catalog(db);
    const plan = await this.lookups.plan(db, r.plan_id, 'plan_id', catalog);
    if (!plan.enabled_in_hosted_pages || plan.status !== 'active') throw paramError('plan_id', `plan "${plan.id}" is not offered here`);
    const { estimate } = await this.estimates.newSubscription(db, r, { billing_address: r.billing_address, taxability: 'taxable' }, this.d.clock.now(), { catalog });
    return estimate;
  }

  /** The request with the customer's choices applied. */
  merge(page: StoredHostedPage, choices: CheckoutChoicesParams): CheckoutRequest {
    const r = page.request;
    if (r.kind === 'existing') {
      const fixed = (['plan_id', 'plan_quantity', 'customer', 'billing_address'] as const).filter((k) => choices[k] !== undefined);
      if (fixed.length) throw new PaylitError('param_wrong_value', 'These cannot be changed on this page.', fixed.map((param) => ({ param, message: 'cannot be changed on this page' })));
      return {
        ...r,
        change: {
          ...r.change,
          ...(choices.addons && { addons: choices.addons, replace_addon_list: true }),
          ...(choices.coupon_ids && { coupon_ids: choices.coupon_ids }),
        },
      };
    }
    // The page is the cart: its plan stays the page's.
    const plan = planProblem(choices, r.plan_id);
    if (plan) throw new PaylitValidationError([plan]);
    return {
      ...r,
      ...(choices.plan_quantity !== undefined && { plan_quantity: choices.plan_quantity }),
      ...(choices.addons && { addons: choices.addons }),
      ...(choices.coupon_ids && { coupon_ids: choices.coupon_ids }),
      customer: { ...r.customer, ...choices.customer },
      ...(choices.billing_address && { billing_address: choices.billing_address }),
    };
  }

  /**
   * What the customer's choices may not do, checked without estimating: add an addon the page's plan does not allow
   * (the page is the cart), or edit the billing address of a customer who has one (the portal's ADDRESS section does).
   */
  async checkChoices(db: Db, page: StoredHostedPage, r: CheckoutRequest): Promise<Customer | undefined> {
    const customer = await this.existingCustomer(db, page.request);
    const given = page.request.kind === 'new' && r.kind === 'new' && r.billing_address !== page.request.billing_address;
    if (customer?.billing_address && given) {
      throw paramError('billing_address', "is already set for this customer and cannot be edited here; use the portal's ADDRESS section");
    }
    if (r.kind === 'new') {
      const catalog = await this.lookups.catalog(db);
      const problems = cartProblems({ plan_id: r.plan_id, addons: r.addons }, await this.lookups.plan(db, r.plan_id, 'plan_id', catalog), catalog.activeAddons);
      if (problems.length) throw new PaylitValidationError(problems);
    }
    return customer;
  }

  /** The page's estimate with the customer's choices: what Pay will charge. */
  async estimate(db: Db, page: StoredHostedPage, r: CheckoutRequest): Promise<Estimate> {
    const customer = await this.checkChoices(db, page, r);
    const now = this.d.clock.now();
    if (r.kind === 'existing') return (await this.estimates.change(db, await this.subscriptionOf(db, r.subscription_id), r.change, customer, now)).estimate;
    return this.priceNew(db, r, customer, now);
  }

  /** A new subscription's estimate for `customer` (if known): the address given on the page, else the customer's. */
  private async priceNew(db: Db, r: NewCheckoutRequest, customer: Customer | undefined, now: number): Promise<Estimate> {
    const address = r.billing_address ?? customer?.billing_address;
    return (await this.estimates.newSubscription(db, r, { billing_address: address, taxability: customer?.taxability ?? 'taxable' }, now)).estimate;
  }

  async subscriptionOf(db: Db, id: string): Promise<Subscription> {
    const sub = await this.s.subscriptions.get(db, id);
    if (!sub) throw invalidState('The subscription of this page no longer exists.');
    return sub;
  }

  /** Opening the page moves it from created to requested. */
  async open(db: Db, page: StoredHostedPage): Promise<StoredHostedPage> {
    if (page.page.state !== 'created') return page;
    return transaction(db, async (trx) => {
      if (!(await this.s.hostedPages.claim(trx, page.id, ['created'], 'requested', this.d.clock.now()))) return page;
      return this.s.hostedPages.update(trx, this.moved(page, 'requested'));
    });
  }

  /**
   * The page's estimate, or the refusal of its input (a missing pack, an unknown coupon) as the page shows it next
   * to the field; anything else is thrown.
   */
  async tryEstimate(db: Db, page: StoredHostedPage, r: CheckoutRequest): Promise<EstimateOutcome> {
    try {
      return { estimate: await this.estimate(db, page, r) };
    } catch (e) {
      if (!(e instanceof PaylitError) || !INPUT_REFUSALS.has(e.code)) throw e;
      return { error: e };
    }
  }

  /**
   * Saves the customer's choices on the page, refusing bad ones with the field they name. A missing pack is not an
   * error until submit: the page shows it.
   */
  async save(db: Db, page: StoredHostedPage, choices: CheckoutChoicesParams): Promise<{ page: StoredHostedPage; outcome: EstimateOutcome }> {
    this.assertOpen(page);
    const request = this.merge(page, choices);
    const outcome = await this.tryEstimate(db, page, request);
    if (outcome.error && !(outcome.error.param === 'addons' && request.kind === 'new')) throw outcome.error;
    const now = this.d.clock.now();
    const stored: StoredHostedPage = { ...page, request, updated_at: now, resource_version: nextVersion(now, page.resource_version) };
    await this.s.hostedPages.update(db, stored);
    return { page: stored, outcome };
  }

  assertOpen(page: StoredHostedPage): void {
    const state = page.page.state;
    if (state !== 'created' && state !== 'requested') throw conflict('hosted_page_completed', `This checkout is already ${state}.`);
    if (this.d.clock.now() >= page.page.expires_at) throw new PaylitError('hosted_page_expired', 'This checkout has expired. Ask the shop for a new link.');
  }

  /**
   * Completes the page once: claims it (created|requested -> succeeded) and, in the same transaction, saves the card,
   * makes the subscription and invoice (one estimate, the billing service's), charges the card and writes the events.
   * A second submit, racing or late, finds it claimed and gets a 409. A declined card (402) or a missing one (400)
   * rolls everything back: the page stays open for another card.
   */
  async submit(db: Db, pageId: string, choices: CheckoutChoicesParams | undefined, cardToken?: string) {
    return transaction(db, async (trx) => {
      const now = this.d.clock.now();
      // Claim first, then read: a racing submit waits for this one's row lock and then finds the page taken.
      const claimed = await this.s.hostedPages.claim(trx, pageId, ['created', 'requested'], 'succeeded', now, now);
      const page = await this.s.hostedPages.get(trx, pageId);
      if (!page) throw notFound('hosted_page', pageId);
      if (!claimed) this.assertOpen(page);
      const r = choices ? this.merge(page, choices) : page.request;
      await this.checkChoices(trx, page, r);
      const result = r.kind === 'new' ? await this.completeNew(trx, page, r, now, cardToken) : await this.completeExisting(trx, r.subscription_id, r, now, cardToken);
      if (result.invoice?.status === 'payment_due') {
        throw paramError('card_token', `a card is needed to pay ${String(result.invoice.amount_due)} ${result.invoice.currency_code} (minor units) now`);
      }
      const content = { subscription: result.subscription, customer: result.customer, ...(result.invoice && { invoice: result.invoice }) };
      const moved = this.moved(page, 'succeeded');
      const done: StoredHostedPage = { ...moved, request: r, page: { ...moved.page, content } };
      await this.s.hostedPages.update(trx, done);
      await this.d.outbox.emit(trx, 'hosted_page_completed', { hosted_page: done.page }, SOURCE);
      if (this.d.holdSubmitMs) {
        // Fault tests: hold the finished but uncommitted transaction so the process can be killed here.
        console.log(`fault: holding the submit of ${page.id} for ${String(this.d.holdSubmitMs)} ms before commit`);
        await new Promise((resolve) => setTimeout(resolve, this.d.holdSubmitMs));
      }
      // The page's redirect_url, else the plan's (seed: plans; its domain was allow-listed when the plan was saved).
      const redirect = page.redirect_url ?? (await this.lookups.catalog(trx)).plan(result.subscription.plan_id)?.redirect_url;
      return { hosted_page: done.page, ...(redirect && { redirect_url: withResult(redirect, page.id, 'succeeded') }) };
    });
  }

  private async completeNew(trx: Db, page: StoredHostedPage, r: NewCheckoutRequest, now: number, cardToken: string | undefined) {
    let customer = await this.existingCustomer(trx, page.request);
    if (!customer) {
      const { id, ...fields } = r.customer ?? {};
      customer = await this.customers.insert(trx, this.customers.build(id ?? page.new_customer_id ?? newId('cus'), fields, r.billing_address, now), { source: SOURCE, param: 'customer[id]' });
    }
    const plan = await this.lookups.plan(trx, r.plan_id);
    // What Pay would charge this customer, for the record of a refused card. Priced without the page's checks (made
    // before the customer was): run now they would take the customer just made from the page's own id for one that
    // was already there (whose address the page may not set), and price nothing.
    const payer = customer;
    const paying = async () => (await this.priceNew(trx, r, payer, now)).amount_due_now;
    if (cardToken !== undefined) ({ customer } = await this.payments.saveCard(trx, customer, cardToken, now, SOURCE, { currency_code: plan.currency_code, paying }));
    const { customer: _c, billing_address: _b, ...subscription } = r;
    return this.subscriptions.create(trx, subscription, customer, { source: SOURCE });
  }

  private async completeExisting(trx: Db, subscriptionId: string, r: CheckoutRequest & { kind: 'existing' }, now: number, cardToken: string | undefined) {
    const sub = await this.subscriptionOf(trx, subscriptionId);
    if (cardToken !== undefined) {
      const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
      const paying = async () => (await this.estimates.change(trx, sub, r.change, customer, now)).estimate.amount_due_now;
      await this.payments.saveCard(trx, customer, cardToken, now, SOURCE, { currency_code: sub.currency_code, paying });
    }
    const { estimate: _e, ...result } = await this.changes.change(trx, sub, r.change, { source: SOURCE });
    return result;
  }

  /** The customer leaves: the page is cancelled and the browser goes to cancel_url. */
  async cancel(db: Db, page: StoredHostedPage) {
    this.assertOpen(page);
    const next = this.moved(page, 'cancelled');
    return transaction(db, async (trx) => {
      if (!(await this.s.hostedPages.claim(trx, page.id, ['created', 'requested'], 'cancelled', next.updated_at))) throw conflict('hosted_page_completed', 'This checkout is no longer open.');
      await this.s.hostedPages.update(trx, next);
      return { hosted_page: next.page, ...(page.cancel_url && { redirect_url: withResult(page.cancel_url, page.id, 'cancelled') }) };
    });
  }

  /** Merchant: acknowledge a succeeded page (idempotent). */
  async acknowledge(db: Db, id: string): Promise<HostedPage> {
    return transaction(db, async (trx) => {
      const page = await this.s.hostedPages.get(trx, id);
      if (!page) throw notFound('hosted_page', id);
      if (page.page.state === 'acknowledged') return page.page;
      if (page.page.state !== 'succeeded') throw invalidState(`Only a succeeded hosted page can be acknowledged; this one is ${page.page.state}.`);
      const next = this.moved(page, 'acknowledged');
      // Acknowledged by a racing call meanwhile: the page as that call left it.
      if (!(await this.s.hostedPages.claim(trx, id, ['succeeded'], 'acknowledged', next.updated_at))) return ((await this.s.hostedPages.get(trx, id)) ?? page).page;
      return (await this.s.hostedPages.update(trx, next)).page;
    });
  }

  /** The page in another state, stamped now. */
  private moved(page: StoredHostedPage, state: HostedPage['state']): StoredHostedPage {
    const now = this.d.clock.now();
    const version = nextVersion(now, page.resource_version);
    return { ...page, updated_at: now, resource_version: version, page: { ...page.page, state, updated_at: now, resource_version: version } };
  }
}
