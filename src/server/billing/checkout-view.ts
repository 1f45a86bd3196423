import { applicableAddons } from '../../core/applicability.js';
import { contactParams } from '../../core/params/checkout.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { readBranding } from '../site.js';
import type { Checkout, EstimateOutcome } from './checkout.js';
import type { StoredHostedPage } from './records.js';

/** Catalog entries as a customer's browser may see them: no accounting or tax-profile internals. */
const INTERNAL = ['sku', 'accounting_code', 'accounting_category1', 'accounting_category2', 'accounting_category3', 'accounting_category4', 'tax_profile_id', 'invoice_notes'];
export function publicItem<T extends object>(r: T): T {
  const out = { ...r } as Record<string, unknown>;
  for (const k of INTERNAL) delete out[k];
  return out as T;
}

/** The customer fields a checkout page shows and lets the customer fill in. */
const CONTACT_FIELDS = Object.keys(contactParams);

/** What a hosted checkout page shows its customer, read for the page's token. */
export class CheckoutView {
  constructor(
    private readonly d: Deps,
    private readonly checkout: Checkout,
  ) {}

  /**
   * The page, the catalog it may offer, the customer, the subscription and the estimate (or why there is none yet).
   * `outcome`: the estimate already made for this request (a save), so it is not made twice.
   */
  async of(db: Db, page: StoredHostedPage, outcome?: EstimateOutcome) {
    const s = this.d.stores;
    const r = page.request;
    const customer = await this.checkout.existingCustomer(db, r);
    const sub = r.kind === 'existing' ? await s.subscriptions.get(db, r.subscription_id) : undefined;
    const planId = r.kind === 'existing' ? (r.change.plan_id ?? sub?.plan_id) : r.plan_id;
    const catalog = await s.catalog.snapshot(db);
    const plan = planId ? catalog.plan(planId) : undefined;
    const currency = plan?.currency_code ?? sub?.currency_code;
    const addons = catalog.activeAddons;
    // Only what this page sells: its plan (and, for a change, the current one, to name it) and the addons the plan
    // allows or brings (seed: applicable addons), so the checkout never offers what the shop did not.
    const plans = [plan, sub && sub.plan_id !== planId ? catalog.plan(sub.plan_id) : undefined].filter((p) => p !== undefined);
    const offered = new Set(sub?.addons.map((a) => a.id));
    if (plan) {
      const a = applicableAddons(plan, addons);
      for (const o of [...a.offered, ...a.eventBased]) offered.add(o.addon.id);
    }
    const { estimate, error } = outcome ?? (await this.checkout.tryEstimate(db, page, r));
    const given: Record<string, unknown> = (r.kind === 'new' && r.customer) || {};
    const couponIds = r.kind === 'existing' ? (r.change.coupon_ids ?? []) : (r.coupon_ids ?? []);
    // The page's coupons, so the widget's live summary applies exactly what the server will (unknown ids are left out:
    // the estimate error names them).
    // A code the customer entered stands for its coupon, under the code's name: the widget matches by what was entered.
    const coupons = (
      await Promise.all(
        couponIds.map(async (id) => {
          const direct = await s.coupons.get(db, id);
          if (direct) return direct;
          const code = await s.couponCodes.get(db, id);
          const coupon = code && code.status === 'not_redeemed' ? await s.coupons.get(db, code.coupon_id) : undefined;
          return coupon && { ...coupon, id };
        }),
      )
    ).filter((c) => c !== undefined);
    return {
      /** The site clock (the time machine's), so the widget estimates at the instant the server charges. */
      now: this.d.clock.now(),
      /** Whom the customer pays. */
      site: await readBranding(db, this.d.site.id),
      /** No real money moves (the test gateway): the checkout says so. */
      test_mode: !this.d.gateway.live,
      hosted_page: page.page,
      checkout: {
        kind: r.kind,
        plan_id: planId,
        plan_quantity: r.kind === 'existing' ? r.change.plan_quantity : r.plan_quantity,
        addons: r.kind === 'existing' ? (r.change.addons ?? sub?.addons.map((a) => ({ id: a.id, quantity: a.quantity }))) : (r.addons ?? []),
        coupon_ids: couponIds,
      },
      coupons: coupons.map(publicItem),
      catalog: {
        plans: plans.map(publicItem),
        addons: addons.filter((a) => offered.has(a.id) && (!currency || a.currency_code === currency)).map(publicItem),
      },
      tax_profile: this.d.taxProfile ?? null,
      customer: {
        ...Object.fromEntries(CONTACT_FIELDS.map((k) => [k, (customer as Record<string, unknown> | undefined)?.[k] ?? given[k]]).filter(([, v]) => v !== undefined)),
        billing_address: customer?.billing_address ?? (r.kind === 'new' ? r.billing_address : undefined),
        billing_address_locked: customer?.billing_address !== undefined,
        taxability: customer?.taxability ?? 'taxable',
      },
      ...(sub && { subscription: sub }),
      ...(estimate && { estimate }),
      ...(error && { estimate_error: { ...(error.param !== undefined && { param: error.param }), message: error.errors[0]?.message ?? error.message } }),
    };
  }
}
