/**
 * How the parameter walk (params-effect.test.ts) calls each route: what a call needs (a customer, a subscription,
 * an open page), the body it always carries, where its effect shows, and the parameters it refuses by design.
 */
import { CARDS, ORIGIN, type TestServer } from './harness.js';

type Json = Record<string, any>;

export interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: Json;
  readonly query?: string;
  readonly headers?: Record<string, string>;
}

export interface Walk {
  readonly s: TestServer;
  /** A number not used before in this run (for ids and recognisable values). */
  n(): number;
  cardToken(number?: string): Promise<string>;
  send(call: Call): Promise<{ status: number; body: Json }>;
}

export interface Case {
  /** What one call needs, fresh for each call: the values of the path's `:params`, and anything else `base` uses. */
  readonly prepare?: (w: Walk) => Promise<Json>;
  /** The body every call carries (its required parameters). */
  readonly base?: (w: Walk, context: Json) => Json;
  readonly headers?: (w: Walk, context: Json) => Record<string, string>;
  /** Where the call's effect shows, if not in its answer (the page a checkout makes, the subscription it changes). */
  readonly observe?: (w: Walk, answer: Json, context: Json, sent: Json) => Promise<unknown>;
  /** Per parameter, where its effect shows instead. */
  readonly observeFor?: Readonly<Record<string, (w: Walk, answer: Json, context: Json, sent: Json) => Promise<unknown>>>;
  /** Parameters whose effect another route, taking them through the same code, shows (it has the data to show it). */
  readonly provenBy?: { readonly route: string; readonly params: readonly string[] };
  /** How a list's items carry a field its filters name, where not under that name. */
  readonly listField?: Readonly<Record<string, (item: Json) => unknown>>;
  /** What a parameter needs beside it, sent in the call without it too (its effect is then its own). */
  readonly with?: Readonly<Record<string, Json>>;
  /** A value for a parameter where the generic one does not fit (an id that must exist). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Per parameter, what the call needs instead (a cancelled subscription for reactivate). */
  readonly prepareFor?: Readonly<Record<string, (w: Walk) => Promise<Json>>>;
  /** Parameters the route refuses by name by design (server-owned fields, features not built). */
  readonly refused?: readonly string[];
  readonly informational?: Readonly<Record<string, string>>;
}

/**
 * Accepted on purpose and changing nothing: each is named, with this reason, in the README's API table.
 */
export const INFORMATIONAL: Readonly<Record<string, string>> = {
  include_deleted: 'nothing is soft-deleted here, so there is nothing more to include',
  iframe_messaging: 'Paylit pages always tell the embedding page what happened (postMessage); there is no other mode',
  'billing_address[object]': 'the object name an address is read with, accepted so a read address can be sent back as it is',
  'shipping_address[object]': 'the object name an address is read with, accepted so a read address can be sent back as it is',
};

/** Values that fit every route naming the parameter (ids that exist in the demo catalog). */
export const COMMON_VALUES: Readonly<Record<string, unknown>> = {
  plan_id: 'scale-monthly',
  'subscription[plan_id]': 'scale-monthly',
  'subscription_items[item_price_id]': 'scale-monthly',
  plan_quantity: 12,
  'subscription[plan_quantity]': 12,
  'subscription_items[quantity]': 12,
  plan_quantity_in_decimal: '12.5',
  'subscription[plan_quantity_in_decimal]': '12.5',
  'addons[id]': 'extra-seat',
  coupon_ids: 'WELCOME10',
  addon_id: 'credits-500',
  change_option: 'end_of_term',
  'billing_address[state_code]': 'CA',
  'shipping_address[state_code]': 'CA',
};
const perUnit = { plan_id: 'storage-per-gb' };
/** What parameters need beside them on every route naming them. */
export const COMMON_WITH: Readonly<Record<string, Json>> = {
  plan_quantity: perUnit,
  plan_quantity_in_decimal: perUnit,
  'subscription[plan_quantity]': { subscription: perUnit },
  'subscription[plan_quantity_in_decimal]': { subscription: perUnit },
  'subscription_items[quantity]': { subscription_items: [{ item_price_id: 'storage-per-gb' }] },
  'addons[quantity]': { addons: [{ id: 'extra-seat' }] },
  'addons[quantity_in_decimal]': { addons: [{ id: 'extra-seat' }] },
  changes_scheduled_at: { change_option: 'specific_date' },
  terms_to_charge: { force_term_reset: true },
  replace_addon_list: { addons: [{ id: 'analytics' }] },
  replace_items_list: { subscription_items: [{ item_price_id: 'hustle-monthly' }, { item_price_id: 'analytics' }] },
  replace_coupon_list: { coupon_ids: ['WELCOME10'] },
  mandatory_items_to_remove: { plan_id: 'scale-monthly' },
  invoice_date: { invoice_immediately: true, subscription_items: [{ item_price_id: 'scale-monthly' }] },
  basic_auth_password: { basic_auth_username: 'walk' },
};

/** Taxes here follow the country and state (core/tax.ts): an estimate's other address fields change no number. */
const ESTIMATE_ADDRESS = Object.fromEntries(
  ['first_name', 'last_name', 'email', 'company', 'phone', 'line1', 'line2', 'line3', 'city', 'state', 'zip', 'validation_status'].map((k) => [
    `billing_address[${k}]`,
    'an estimate prices by the address\'s country and state_code; its other fields are taken so one address serves the estimate and the checkout',
  ]),
);
const TRANSACTION_FIELDS = { invoice_id: (t: Json) => t.linked_invoices?.[0]?.invoice_id };
const US_CA = { billing_address: { country: 'US', state_code: 'CA' } };
const PAGE_PLAN = 'the page fixes its plan: the checkout may send it back as it is, and any other plan is refused';

// ---------------------------------------------------------------- what calls need

const SERVER_OWNED = ['status', 'archived_at', 'created_at', 'updated_at', 'resource_version', 'object'];
const basicAuth = (w: Walk) => ({ authorization: `Basic ${Buffer.from(`${w.s.site.api_key}:`).toString('base64')}` });

async function merchant(w: Walk, path: string, body: Json): Promise<Json> {
  const { status, body: answer } = await w.send({ method: 'POST', path, body, headers: basicAuth(w) });
  if (status !== 200) throw new Error(`${path}: ${String(status)} ${JSON.stringify(answer)}`);
  return answer;
}
const newCustomer = async (w: Walk) => (await merchant(w, '/api/v2/customers', { email: `walk${String(w.n())}@example.com`, first_name: 'Walk' })).customer.id as string;
/** A customer with a card, on a paid subscription to hustle-monthly with an extra seat and the FIVEOFF coupon. */
async function newSubscription(w: Walk, plan = 'hustle-monthly'): Promise<{ id: string; customer_id: string }> {
  const customer = await newCustomer(w);
  await merchant(w, '/api/v2/payment_sources/create_using_temp_token', { customer_id: customer, type: 'card', tmp_token: await w.cardToken(CARDS.ok) });
  const extra = plan === 'hustle-monthly' ? { addons: [{ id: 'extra-seat', quantity: 1 }], coupon_ids: ['FIVEOFF'] } : {};
  const { subscription } = await merchant(w, `/api/v2/customers/${customer}/subscriptions`, { plan_id: plan, ...extra });
  return { id: subscription.id, customer_id: customer };
}
/** A customer with two paid subscriptions (two invoices, two payments): enough for paging and sorting. */
async function customerWithTwo(w: Walk): Promise<{ id: string; subscription: string; invoice: string }> {
  const first = await newSubscription(w);
  w.s.clock.advance(1);
  await merchant(w, `/api/v2/customers/${first.customer_id}/subscriptions`, { plan_id: 'grow-monthly' });
  // A second invoice on the first subscription: a pack charged to it.
  w.s.clock.advance(1);
  const { invoice } = await merchant(w, '/api/v2/invoices/charge_addon', { subscription_id: first.id, addon_id: 'credits-100' });
  return { id: first.customer_id, subscription: first.id, invoice: invoice.id };
}
async function cancelledSubscription(w: Walk) {
  const sub = await newSubscription(w);
  await merchant(w, `/api/v2/subscriptions/${sub.id}/cancel`, {});
  return sub;
}
const trialSubscription = (w: Walk) => newSubscription(w, 'pro-trial');
/** A change's own parameters: what each needs in a change to an existing subscription. */
const changeCase = (extra: Partial<Case> = {}, plan: Json = { plan_id: 'grow-monthly' }): Case => ({
  prepare: async (w) => newSubscription(w),
  refused: ['billing_alignment_mode', 'invoice_usages', 'allow_offline_payment_methods'],
  ...extra,
  // Time passes before a term reset, so the new term differs from the old one.
  prepareFor: {
    force_term_reset: async (w) => {
      const sub = await newSubscription(w);
      w.s.clock.advance(86_400);
      return sub;
    },
    reactivate: cancelledSubscription,
    reactivate_from: cancelledSubscription,
    'subscription[trial_end]': trialSubscription,
    trial_end: trialSubscription,
    setup_fee: trialSubscription,
    ...extra.prepareFor,
  },
  with: { change_option: plan, end_of_term: plan, ...extra.with },
  values: { 'addons[id]': 'analytics', mandatory_items_to_remove: 'analytics', invoice_date: (w: Walk) => w.s.clock.now() - 86_400, reactivate_from: (w: Walk) => w.s.clock.now() + 86_400, ...extra.values },
});
/** An open checkout_new page on grow-monthly, and its token. */
async function newPage(w: Walk, body: Json = {}): Promise<{ id: string; token: string }> {
  const { hosted_page } = await merchant(w, '/api/v2/hosted_pages/checkout_new', { subscription: { plan_id: 'grow-monthly' }, ...body });
  return { id: hosted_page.id, token: new URL(hosted_page.url).hash.replace('#token=', '') };
}
const pageHeaders = (w: Walk, page: { token: string }) => ({ 'x-paylit-hosted-page-token': page.token, origin: w.s.url });

/** A page as its customer meets it (the page view) and completes it (the submit's answer). */
async function pageSeen(w: Walk, answer: Json): Promise<Json> {
  const page = answer.hosted_page ?? answer;
  const token = new URL(page.url).hash.replace('#token=', '');
  const headers = pageHeaders(w, { token });
  const view = await w.send({ method: 'GET', path: `/api/browser/v2/hosted_pages/${page.id}`, headers });
  const done = await w.send({ method: 'POST', path: `/api/browser/v2/hosted_pages/${page.id}/submit`, headers, body: { card_token: await w.cardToken() } });
  return { view: view.body, done: done.body };
}
/** The page as the merchant retrieves it (pass_thru_content is theirs, to read back). */
async function pageRetrieved(w: Walk, answer: Json): Promise<Json> {
  const page = answer.hosted_page ?? answer;
  return (await w.send({ method: 'GET', path: `/api/v2/hosted_pages/${String(page.id)}`, headers: basicAuth(w) })).body;
}
/** The page, cancelled by its customer: where cancel_url takes them. */
async function pageCancelled(w: Walk, answer: Json): Promise<Json> {
  const page = answer.hosted_page ?? answer;
  const headers = pageHeaders(w, { token: new URL(page.url).hash.replace('#token=', '') });
  return (await w.send({ method: 'POST', path: `/api/browser/v2/hosted_pages/${page.id}/cancel`, headers, body: {} })).body;
}
/** A subscription as it is after the call (and its renewal estimate, where terms and cycles show). */
async function subscriptionAfter(w: Walk, answer: Json, context: Json): Promise<Json> {
  const get = (path: string) => w.send({ method: 'GET', path, headers: basicAuth(w) });
  return { answer, subscription: (await get(`/api/v2/subscriptions/${String(context.id)}`)).body, renewal: (await get(`/api/v2/subscriptions/${String(context.id)}/renewal_estimate`)).body };
}

const address = { line1: '1 Rue de Rivoli', city: 'Paris', zip: '75001', country: 'FR' };

// ---------------------------------------------------------------- the catalog

const addon: Case = {
  base: (w) => ({ id: `walk-addon-${String(w.n())}`, name: 'Walk', charge_type: 'recurring', price: 100, period: 1, period_unit: 'month' }),
  refused: [...SERVER_OWNED, 'tax_profile_id'],
  with: {
    'tiers[starting_unit]': { type: 'tiered', tiers: [{ starting_unit: 1, price: 100 }] },
    'tiers[ending_unit]': { type: 'tiered', tiers: [{ starting_unit: 1, price: 100 }, { starting_unit: 4, price: 50 }] },
    'tiers[price]': { type: 'tiered', tiers: [{ starting_unit: 1, price: 100 }] },
    'tiers[price_in_decimal]': { type: 'tiered', tiers: [{ starting_unit: 1, price: 100 }] },
    unit: { type: 'quantity' },
  },
  values: { 'tiers[starting_unit]': 1, 'tiers[ending_unit]': 3, period_unit: 'week', price_in_decimal: '1.005' },
};
const addonUpdate: Case = {
  prepare: async (w) => ({ id: (await merchant(w, '/api/v2/addons', { id: `walk-addon-${String(w.n())}`, name: 'Walk', charge_type: 'recurring', price: 100, period: 1, period_unit: 'month' })).addon.id }),
  refused: [...SERVER_OWNED, 'tax_profile_id', 'id'],
  with: addon.with!,
  values: addon.values!,
};

const plan: Case = {
  base: (w) => ({ id: `walk-plan-${String(w.n())}`, name: 'Walk', price: 1000 }),
  refused: [...SERVER_OWNED, 'tax_profile_id'],
  with: {
    trial_period: { trial_period_unit: 'day' },
    trial_period_unit: { trial_period: 7 },
    free_quantity: { pricing_model: 'per_unit' },
    free_quantity_in_decimal: { pricing_model: 'per_unit' },
    'tiers[starting_unit]': { pricing_model: 'tiered', tiers: [{ starting_unit: 1, price: 100 }] },
    'tiers[ending_unit]': { pricing_model: 'tiered', tiers: [{ starting_unit: 1, price: 100 }, { starting_unit: 4, price: 50 }] },
    'tiers[price]': { pricing_model: 'tiered', tiers: [{ starting_unit: 1, price: 100 }] },
    'tiers[price_in_decimal]': { pricing_model: 'tiered', tiers: [{ starting_unit: 1, price: 100 }] },
    shipping_frequency_period: { is_shippable: true },
    shipping_frequency_period_unit: { is_shippable: true },
    'applicable_addons[id]': { addon_applicability: 'restricted' },
    'attached_addons[id]': {},
    'attached_addons[quantity]': { attached_addons: [{ id: 'extra-seat' }] },
    'attached_addons[quantity_in_decimal]': { attached_addons: [{ id: 'extra-seat' }] },
    'attached_addons[billing_cycles]': { attached_addons: [{ id: 'extra-seat' }] },
    'attached_addons[type]': { attached_addons: [{ id: 'extra-seat' }] },
    'event_based_addons[id]': { event_based_addons: [{ on_event: 'subscription_creation' }] },
    'event_based_addons[quantity]': { event_based_addons: [{ id: 'onboarding', on_event: 'subscription_creation' }] },
    'event_based_addons[quantity_in_decimal]': { event_based_addons: [{ id: 'onboarding', on_event: 'subscription_creation' }] },
    'event_based_addons[on_event]': { event_based_addons: [{ id: 'onboarding', on_event: 'subscription_creation' }] },
    'event_based_addons[charge_once]': { event_based_addons: [{ id: 'onboarding', on_event: 'subscription_creation' }] },
  },
  values: {
    'tiers[starting_unit]': 1, 'tiers[ending_unit]': 3, 'applicable_addons[id]': 'extra-seat', 'attached_addons[id]': 'extra-seat',
    'event_based_addons[id]': 'onboarding', 'event_based_addons[on_event]': 'plan_activation', 'event_based_addons[quantity_in_decimal]': '1',
    'attached_addons[quantity_in_decimal]': '1', price_in_decimal: '10.005', free_quantity_in_decimal: '1.5',
    redirect_url: `${ORIGIN}/welcome`,
  },
};
const planUpdate: Case = {
  prepare: async (w) => ({ id: (await merchant(w, '/api/v2/plans', { id: `walk-plan-${String(w.n())}`, name: 'Walk', price: 1000 })).plan.id }),
  refused: [...plan.refused!, 'id', 'giftable'],
  with: plan.with!,
  values: plan.values!,
};

const coupon: Case = {
  base: (w) => ({ id: `WALK${String(w.n())}`, name: 'Walk', discount_type: 'percentage', discount_percentage: 10, duration_type: 'forever' }),
  refused: [...SERVER_OWNED, 'redemptions'],
  with: {
    discount_amount: { discount_type: 'fixed_amount', discount_percentage: undefined, currency_code: 'USD' },
    currency_code: { discount_type: 'fixed_amount', discount_percentage: undefined, discount_amount: 500 },
    duration_month: { duration_type: 'limited_period' },
    plan_ids: { apply_on: 'each_specified_item', plan_constraint: 'specific' },
    addon_ids: { apply_on: 'each_specified_item', addon_constraint: 'specific' },
  },
  values: { plan_ids: 'grow-monthly', addon_ids: 'extra-seat', currency_code: 'EUR', valid_till: (w: Walk) => w.s.clock.now() + 30 * 86_400 },
};

/** A portal session's key for the customer of a subscription (hustle-monthly, a seat, a card), and the subscription. */
async function portalOf(w: Walk, sub: { id: string; customer_id: string }): Promise<Json> {
  const { portal_session } = await merchant(w, '/api/v2/portal_sessions', { customer: { id: sub.customer_id } });
  const { body } = await w.send({ method: 'POST', path: '/api/browser/v2/portal_sessions/activate', headers: { origin: ORIGIN }, body: { id: portal_session.id, token: portal_session.token } });
  return { key: body.portal_key, id: sub.id, customer: sub.customer_id };
}
const portalHeaders = (_w: Walk, c: Json) => ({ 'x-paylit-portal-key': String(c.key), origin: ORIGIN });
/** The same, with a fresh card token for the calls that pay with a new card. */
const withCard = (make: (w: Walk) => Promise<Json>) => async (w: Walk) => ({ ...(await make(w)), card: await w.cardToken() });
const portalSub = async (w: Walk) => portalOf(w, await newSubscription(w));
/** The customer's cards, as the merchant lists them: a new card paid with shows there. */
const cardsOf = async (w: Walk, _answer: Json, c: Json) => (await w.send({ method: 'GET', path: `/api/v2/payment_sources?customer_id[is]=${String(c.customer)}&limit=100`, headers: basicAuth(w) })).body.list.length;
const portalCase = (extra: Partial<Case> = {}): Case => ({
  prepare: portalSub,
  headers: portalHeaders,
  ...extra,
  prepareFor: {
    card_token: withCard(extra.prepare ?? portalSub),
    // The site lets customers choose when a change applies (portal_change=either), so the choice is theirs to make.
    change_option: async (w) => {
      await merchant(w, '/api/v2/site', { portal_change: 'either' });
      return portalSub(w);
    },
    // The demo's per-unit plan is in its catalog but not offered in its portal: the shop offers it for this walk.
    plan_quantity: async (w) => {
      await merchant(w, '/api/v2/plans/storage-per-gb', { enabled_in_portal: true });
      return portalSub(w);
    },
    ...extra.prepareFor,
  },
  observeFor: { card_token: cardsOf, ...extra.observeFor },
  values: { card_token: (_w: Walk, c: Json) => c.card, 'addons[id]': 'analytics', ...extra.values },
});

/** The endpoint's password is never shown back: it is in what the deliveries send, as stored. */
const hookRules: Partial<Case> = {
  refused: ['send_card_resource'],
  informational: { api_version: 'v2 is the one API version events are sent in' },
  observeFor: {
    basic_auth_password: async (w, answer) => (await w.s.storage.db.selectFrom('webhook_endpoints').select('data').where('id', '=', String(answer.webhook_endpoint.id)).executeTakeFirst())?.data,
  },
};

export const CASES: Readonly<Record<string, Case>> = {
  'POST /api/v2/addons': addon,
  'POST /api/v1/addons': addon,
  'POST /api/v2/addons/:id': addonUpdate,
  'POST /api/v1/addons/:id': addonUpdate,
  'GET /api/v2/addons': {},
  'GET /api/v1/addons': {},
  'POST /api/v2/plans': plan,
  'POST /api/v2/plans/:id': planUpdate,
  'GET /api/v2/plans': {},
  'POST /api/v2/plans/copy': {
    base: (w) => ({ from_site: w.s.site.id, id_at_from_site: 'grow-monthly', id_at_to_site: `walk-copy-${String(w.n())}` }),
    values: { id_at_from_site: 'hustle-monthly' },
    informational: { for_site_merging: 'one site per backend: there is no other site to merge with' },
  },
  'POST /api/v2/coupons': coupon,
  'GET /api/v2/coupons': {},
  'POST /api/v2/coupon_sets': {
    base: (w) => ({ id: `walk-set-${String(w.n())}`, coupon_id: 'WELCOME10', name: 'Walk codes' }),
    refused: [...SERVER_OWNED],
    values: { coupon_id: 'FIVEOFF' },
  },
  'POST /api/v2/coupon_sets/:id/add_coupon_codes': {
    prepare: async (w) => ({ id: (await merchant(w, '/api/v2/coupon_sets', { id: `walk-set-${String(w.n())}`, coupon_id: 'WELCOME10', name: 'Walk codes' })).coupon_set.id }),
    base: (w) => ({ code: [`WALK-CODE-${String(w.n())}`] }),
    observe: async (w, _answer, _c, sent) => (await w.send({ method: 'GET', path: `/api/v2/coupon_codes/${String(sent.code?.[0])}`, headers: basicAuth(w) })).body,
  },

  // -------------------------------------------------------------- customers
  'POST /api/v2/customers': {
    values: { id: (w: Walk) => `walk-cus-${String(w.n())}` },
    with: { 'billing_address[state_code]': { billing_address: { country: 'US' } } },
  },
  'GET /api/v2/customers': {},
  'POST /api/v2/customers/:id': { prepare: async (w) => ({ id: await newCustomer(w) }) },
  'POST /api/v2/customers/:id/update_billing_info': {
    prepare: async (w) => ({ id: await newCustomer(w) }),
    base: () => ({ billing_address: address }),
    with: { 'billing_address[state_code]': { billing_address: { country: 'US' } } },
  },

  // -------------------------------------------------------------- subscriptions and invoices
  'POST /api/v2/subscriptions': {
    base: () => ({ plan_id: 'grow-monthly' }),
    values: { id: (w: Walk) => `walk-sub-${String(w.n())}`, 'customer[id]': (w: Walk) => `walk-cus-${String(w.n())}` },
    with: { 'billing_address[state_code]': { billing_address: { country: 'US' } }, 'shipping_address[state_code]': { shipping_address: { country: 'US' } } },
  },
  'POST /api/v2/customers/:id/subscriptions': {
    prepare: async (w) => ({ id: await newCustomer(w) }),
    base: () => ({ plan_id: 'grow-monthly' }),
    values: { id: (w: Walk) => `walk-sub-${String(w.n())}` },
    with: { 'shipping_address[state_code]': { shipping_address: { country: 'US' } } },
  },
  'GET /api/v2/subscriptions': {},
  'GET /api/v2/customers/:id/subscriptions': { prepare: customerWithTwo },
  'POST /api/v2/subscriptions/:id': changeCase({ observe: subscriptionAfter }),
  'POST /api/v2/subscriptions/:id/cancel': { prepare: async (w) => newSubscription(w) },
  'POST /api/v2/subscriptions/:id/remove_scheduled_cancellation': {},
  'POST /api/v2/subscriptions/:id/reactivate': {},
  'POST /api/v2/subscriptions/:id/charge_addon_at_term_end': { prepare: async (w) => newSubscription(w), base: () => ({ addon_id: 'credits-100' }), values: { addon_quantity: 3 } },
  'GET /api/v2/subscriptions/:id/invoices': { prepare: async (w) => ({ id: (await customerWithTwo(w)).subscription }) },
  'POST /api/v2/invoices/charge_addon': {
    prepare: async (w) => newSubscription(w),
    base: (_w, c) => ({ customer_id: c.customer_id, addon_id: 'credits-100' }),
    values: { subscription_id: (_w: Walk, c: Json) => c.id },
  },
  'GET /api/v2/invoices': {},
  'GET /api/v2/customers/:id/invoices': { prepare: customerWithTwo },
  'POST /api/v2/estimates/create_subscription': {
    base: () => ({ subscription: { plan_id: 'grow-monthly' } }),
    with: { 'billing_address[state_code]': { billing_address: { country: 'US' } }, 'customer[taxability]': US_CA, 'billing_address[country]': { billing_address: { state_code: 'CA' } } },
    values: { 'billing_address[country]': 'US' },
    informational: ESTIMATE_ADDRESS,
  },
  'POST /api/v2/estimates/update_subscription': changeCase({
    base: (_w, c) => ({ subscription: { id: c.id } }),
    with: {
      plan_quantity_in_decimal: { plan_id: undefined, subscription: perUnit },
      mandatory_items_to_remove: { plan_id: undefined, subscription: { plan_id: 'scale-monthly' } },
      'billing_address[state_code]': { billing_address: { country: 'US' } },
      'billing_address[country]': { billing_address: { state_code: 'CA' } },
      coupon_ids: { subscription: { plan_id: 'scale-monthly' } },
    },
    values: { billing_cycles: 1, 'billing_address[country]': 'US' },
    informational: ESTIMATE_ADDRESS,
  }, { subscription: { plan_id: 'grow-monthly' } }),

  // -------------------------------------------------------------- hosted pages and portal sessions
  'POST /api/v2/hosted_pages/checkout_new': {
    base: () => ({ subscription: { plan_id: 'grow-monthly' } }),
    observe: pageSeen,
    observeFor: { cancel_url: pageCancelled, pass_thru_content: pageRetrieved, embed: pageRetrieved },
    values: { 'subscription[id]': (w: Walk) => `walk-sub-${String(w.n())}` },
    with: { 'billing_address[state_code]': { billing_address: { country: 'US' } }, 'shipping_address[state_code]': { shipping_address: { country: 'US' } } },
  },
  'POST /api/v2/hosted_pages/checkout_existing': changeCase({
    base: (_w, c) => ({ subscription: { id: c.id } }),
    observe: pageSeen,
    observeFor: { cancel_url: pageCancelled, pass_thru_content: pageRetrieved, embed: pageRetrieved },
    with: { plan_quantity_in_decimal: { plan_id: undefined, subscription: perUnit }, mandatory_items_to_remove: { plan_id: undefined, subscription: { plan_id: 'scale-monthly' } } },
  }, { subscription: { plan_id: 'grow-monthly' } }),
  'POST /api/v2/hosted_pages/checkout_existing_for_items': changeCase({
    base: (_w, c) => ({ subscription: { id: c.id } }),
    observe: pageSeen,
    observeFor: { cancel_url: pageCancelled, pass_thru_content: pageRetrieved, embed: pageRetrieved },
    refused: ['billing_alignment_mode', 'invoice_usages', 'allow_offline_payment_methods'],
    informational: { invoice_immediately: 'a change is always invoiced at once here (true); false is refused, as there are no unbilled charges' },
    with: { mandatory_items_to_remove: { plan_id: undefined, subscription_items: [{ item_price_id: 'scale-monthly' }] } },
  }, { subscription_items: [{ item_price_id: 'grow-monthly' }] }),
  'GET /api/v2/hosted_pages': {},
  'POST /api/v2/portal_sessions': { prepare: async (w) => ({ customer: await newCustomer(w) }), base: (_w, c) => ({ customer: { id: c.customer } }) },

  // -------------------------------------------------------------- payments, events, the site, the clock
  'POST /api/v2/payment_sources/create_using_temp_token': {
    prepare: async (w) => ({ customer: await newCustomer(w), token: await w.cardToken() }),
    base: (_w, c) => ({ customer_id: c.customer, type: 'card', tmp_token: c.token }),
    prepareFor: { replace_primary_payment_source: async (w) => ({ customer: (await newSubscription(w)).customer_id, token: await w.cardToken() }) },
    observeFor: { replace_primary_payment_source: async (w, _a, c) => (await w.send({ method: 'GET', path: `/api/v2/customers/${String(c.customer)}`, headers: basicAuth(w) })).body.customer.primary_payment_source_id === _a.payment_source?.id },
    informational: { type: 'card is the one payment source type here' },
  },
  'GET /api/v2/payment_sources': {
    informational: { 'type[is]': 'cards are the one payment source type here', 'type[is_not]': 'cards are the one payment source type here', 'type[in]': 'cards are the one payment source type here', 'type[not_in]': 'cards are the one payment source type here' },
  },
  'GET /api/v2/transactions': { listField: TRANSACTION_FIELDS },
  'GET /api/v2/customers/:id/transactions': { prepare: customerWithTwo, listField: TRANSACTION_FIELDS },
  'GET /api/v2/subscriptions/:id/transactions': { prepare: async (w) => ({ id: (await customerWithTwo(w)).subscription }), listField: TRANSACTION_FIELDS },
  'GET /api/v2/invoices/:id/payments': {
    prepare: async (w) => {
      const { invoice } = await customerWithTwo(w);
      return { id: invoice };
    },
    listField: TRANSACTION_FIELDS,
    // One invoice has one payment here: the paging and sorting it shares with every list are shown on the others.
    provenBy: { route: 'GET /api/v2/transactions', params: ['limit', 'offset', 'sort_by[asc]', 'sort_by[desc]'] },
  },
  'GET /api/v2/events': {},
  'POST /api/v2/webhook_endpoints': { base: (w) => ({ name: `walk ${String(w.n())}`, url: 'https://hooks.example/walk' }), ...hookRules },
  'GET /api/v2/webhook_endpoints': {},
  'POST /api/v2/webhook_endpoints/:id': {
    prepare: async (w) => ({ id: (await merchant(w, '/api/v2/webhook_endpoints', { name: `walk ${String(w.n())}`, url: 'https://hooks.example/walk' })).webhook_endpoint.id }),
    ...hookRules,
  },
  'POST /api/v2/site': { values: { logo_url: 'https://cdn.example/walk-logo.png', accent_color: '#aa3300' } },

  // -------------------------------------------------------------- the browser's routes
  'GET /api/browser/v2/catalog': { headers: (w) => ({ 'x-paylit-publishable-key': w.s.site.publishable_key, origin: ORIGIN }) },
  'POST /api/browser/v2/checkout_new': {
    headers: (w) => ({ 'x-paylit-publishable-key': w.s.site.publishable_key, origin: ORIGIN }),
    base: () => ({ plan_id: 'grow-monthly' }),
    observe: pageSeen,
    observeFor: { cancel_url: pageCancelled, pass_thru_content: pageRetrieved },
    values: { redirect_url: `${ORIGIN}/walk-thanks`, cancel_url: `${ORIGIN}/walk-cancelled` },
    with: { 'billing_address[state_code]': { billing_address: { country: 'US' } } },
  },
  'POST /api/browser/v2/estimates/create_subscription': {
    headers: (w) => ({ 'x-paylit-publishable-key': w.s.site.publishable_key, origin: ORIGIN }),
    base: () => ({ plan_id: 'grow-monthly' }),
    with: { 'billing_address[state_code]': { billing_address: { country: 'US' } }, 'billing_address[country]': { billing_address: { state_code: 'CA' } } },
    values: { 'billing_address[country]': 'US' },
    informational: ESTIMATE_ADDRESS,
  },
  'POST /api/browser/v2/hosted_pages/:id/save': {
    prepare: async (w) => newPage(w),
    prepareFor: { plan_quantity: async (w) => newPage(w, { subscription: perUnit }) },
    headers: (w, page) => pageHeaders(w, page as { token: string }),
    with: { plan_quantity: { plan_id: undefined }, 'billing_address[state_code]': { billing_address: { country: 'US' } } },
    informational: { plan_id: PAGE_PLAN },
  },
  'POST /api/browser/v2/hosted_pages/:id/submit': {
    prepare: async (w) => ({ ...(await newPage(w)), card: await w.cardToken() }),
    prepareFor: { plan_quantity: async (w) => ({ ...(await newPage(w, { subscription: perUnit })), card: await w.cardToken() }) },
    headers: (w, page) => pageHeaders(w, page as { token: string }),
    base: (_w, c) => ({ card_token: c.card }),
    with: { plan_quantity: { plan_id: undefined }, 'billing_address[state_code]': { billing_address: { country: 'US' } } },
    informational: { plan_id: PAGE_PLAN },
  },
  'POST /api/browser/v2/card_tokens': {
    // With a page's token the card is for that page (hosted_page_id names it); else for the publishable key.
    prepareFor: { hosted_page_id: async (w) => newPage(w) },
    headers: (w, c) => (c.token ? pageHeaders(w, c as { token: string }) : { 'x-paylit-publishable-key': w.s.site.publishable_key, origin: w.s.url }),
    base: (_w, c) => ({ number: CARDS.ok, expiry_month: 12, expiry_year: 2040, cvc: '123', ...(c.id && { hosted_page_id: c.id }) }),
  },
  'POST /api/browser/v2/card_tokens/:id/authenticate': {
    prepare: async (w) => ({ id: await w.cardToken(CARDS.threeDs) }),
    headers: (w) => ({ origin: w.s.url }),
    base: () => ({ outcome: 'complete' }),
  },
  'POST /api/browser/v2/portal_sessions/activate': {
    prepare: async (w) => {
      const { portal_session } = await merchant(w, '/api/v2/portal_sessions', { customer: { id: await newCustomer(w) } });
      return { session: portal_session.id, token: portal_session.token };
    },
    headers: () => ({ origin: ORIGIN }),
    base: (_w, c) => ({ id: c.session, token: c.token }),
  },
  'POST /api/browser/v2/portal/address': {
    prepare: async (w) => {
      const customer = await newCustomer(w);
      await merchant(w, `/api/v2/customers/${customer}/subscriptions`, { plan_id: 'grow-monthly', shipping_address: address });
      const { portal_session } = await merchant(w, '/api/v2/portal_sessions', { customer: { id: customer } });
      const { body } = await w.send({ method: 'POST', path: '/api/browser/v2/portal_sessions/activate', headers: { origin: ORIGIN }, body: { id: portal_session.id, token: portal_session.token } });
      return { key: body.portal_key };
    },
    headers: (_w, c) => ({ 'x-paylit-portal-key': String(c.key), origin: ORIGIN }),
    base: () => ({ billing_address: address }),
  },

  // -------------------------------------------------------------- the portal's writes (a portal session's key)
  'POST /api/v2/subscriptions/:id/remove_scheduled_changes': {},
  'POST /api/v2/invoices/:id/collect_payment': {},
  'POST /api/v2/invoices/:id/pdf': {
    prepare: async (w) => ({ id: (await customerWithTwo(w)).invoice }),
    // How the link's file is served: saved (attachment) or shown (inline).
    observe: async (_w, answer) => (await fetch(String(answer.download.download_url))).headers.get('content-disposition')?.split(';')[0],
  },
  'POST /api/v2/customers/:id/assign_payment_role': {
    // A second card, not primary: assigning it the primary role moves the customer's primary card.
    prepare: async (w) => {
      const sub = await newSubscription(w);
      const { payment_source } = await merchant(w, '/api/v2/payment_sources/create_using_temp_token', { customer_id: sub.customer_id, type: 'card', tmp_token: await w.cardToken() });
      return { id: sub.customer_id, source: payment_source.id };
    },
    base: (_w, c) => ({ payment_source_id: c.source, role: 'primary' }),
  },
  'POST /api/browser/v2/portal/subscriptions/:id/estimate': portalCase({ with: { change_option: { plan_id: 'grow-monthly' } } }),
  'POST /api/browser/v2/portal/subscriptions/:id/change': portalCase({ with: { change_option: { plan_id: 'grow-monthly' }, card_token: { plan_id: 'scale-monthly' } } }),
  'POST /api/browser/v2/portal/subscriptions/:id/remove_scheduled_changes': portalCase(),
  'POST /api/browser/v2/portal/subscriptions/:id/cancel': portalCase({
    observe: async (w, _a, c) => (await w.send({ method: 'GET', path: `/api/v2/subscriptions/${String(c.id)}`, headers: basicAuth(w) })).body.subscription,
  }),
  'POST /api/browser/v2/portal/subscriptions/:id/remove_scheduled_cancellation': portalCase(),
  'POST /api/browser/v2/portal/subscriptions/:id/reactivate': portalCase({ prepare: async (w) => portalOf(w, await cancelledSubscription(w)) }),
  'POST /api/browser/v2/portal/subscriptions/:id/charge_addon': portalCase({ base: () => ({ addon_id: 'credits-100' }), values: { addon_id: 'credits-500' } }),
  'POST /api/browser/v2/portal/subscriptions/:id/charge_addon_at_term_end': portalCase({ base: () => ({ addon_id: 'credits-100' }), values: { addon_id: 'credits-500' } }),
  'POST /api/browser/v2/portal/account': portalCase(),
  'POST /api/browser/v2/portal/payment_sources': portalCase({ prepare: withCard(portalSub), base: (_w, c) => ({ card_token: c.card }), values: { card_token: 'tok_0000000000000000' } }),
  'POST /api/browser/v2/portal/payment_sources/:id/make_primary': portalCase(),
  'POST /api/browser/v2/portal/payment_sources/:id/delete': portalCase(),
  'POST /api/browser/v2/portal/invoices/:id/collect': portalCase({
    // An invoice left payment_due (automatic collection off), paid from the portal with the card on file or a new one.
    prepare: async (w) => {
      const sub = await newSubscription(w);
      await merchant(w, `/api/v2/customers/${sub.customer_id}`, { auto_collection: 'off' });
      const { invoice } = await merchant(w, '/api/v2/invoices/charge_addon', { customer_id: sub.customer_id, addon_id: 'credits-100' });
      return { ...(await portalOf(w, sub)), id: invoice.id };
    },
  }),
  'POST /api/browser/v2/portal/invoices/:id/pdf': portalCase(),

  // Last: they move the site's clock, and start_afresh empties the site.
  'POST /api/v2/time_machines/:name/travel_forward': {
    // An hour past the site's time (so that renewals on the way stay few).
    prepare: async (w) => ({ name: 'delorean', now: (await w.send({ method: 'GET', path: '/api/v2/time_machines/delorean', headers: basicAuth(w) })).body.time_machine.destination_time }),
    base: (_w, c) => ({ destination_time: Number(c.now) + 3600 }),
  },
  'POST /api/v2/time_machines/:name/start_afresh': { prepare: async () => ({ name: 'delorean' }), values: { genesis_time: Date.UTC(2031, 0, 1) / 1000 } },
};
