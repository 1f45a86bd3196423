import type { ChosenAddon } from './addon-choice.js';
import type { Applicability } from './applicability.js';
import type { ParamNames } from './errors.js';
import type { InvoiceEstimate } from './invoice-builder.js';
import type { Quantity } from './pricing.js';
import type { Addon } from './schemas/addon.js';
import type { Coupon } from './schemas/coupon.js';
import type { Address } from './schemas/address.js';
import type { Plan } from './schemas/plan.js';
import type { SubscriptionStatus } from './schemas/subscription.js';
import type { TaxProfile } from './tax.js';

/** The shapes every estimate shares: its context, and the estimate Chargebee's API returns. */
/** What every estimate needs besides the subscription itself. */
export interface EstimateContext {
  /** The addon catalog (all addons; applicability picks from it). */
  readonly addons: readonly Addon[];
  readonly taxProfile?: TaxProfile | undefined;
  readonly billingAddress?: Address | undefined;
  readonly taxExempt?: boolean | undefined;
  /** Unix seconds. Injected, never read from a clock here. */
  readonly now: number;
  /** How the caller's API names core's parameters (checkout_new's `subscription[plan_id]`); errors carry those names. */
  readonly names?: ParamNames | undefined;
  /** A plan's applicability over `addons`, where the caller keeps it worked out (the server, once per catalog version). */
  readonly applicability?: ((plan: Plan) => Applicability) | undefined;
}

export interface SubscriptionEstimate {
  /** The subscription's id, where the call names it (Chargebee's subscription[id]). */
  id?: string;
  status: SubscriptionStatus;
  plan_id: string;
  plan_quantity: number;
  plan_quantity_in_decimal?: string;
  currency_code: string;
  addons: Array<{ id: string; quantity: number; quantity_in_decimal?: string }>;
  trial_start?: number;
  trial_end?: number;
  start_date?: number;
  current_term_start?: number;
  current_term_end?: number;
  next_billing_at?: number;
  remaining_billing_cycles?: number;
  has_scheduled_changes: boolean;
  /** Event-based addons charged by this operation (for charge_once bookkeeping). */
  charged_event_based_addons: string[];
  object: 'subscription_estimate';
}

export interface Estimate {
  created_at: number;
  subscription_estimate: SubscriptionEstimate;
  /** The invoice raised now; absent when nothing is invoiced now. */
  invoice_estimate?: InvoiceEstimate;
  /** The next invoice: the renewal, the end of trial, or a scheduled change. */
  next_invoice_estimate?: InvoiceEstimate;
  /** Credits for unused time on an immediate change, prorated by seconds. */
  credit_note_estimates: InvoiceEstimate[];
  /** What the customer pays now, in minor units. */
  amount_due_now: number;
  /** Addons removed by a plan change, with why. */
  removed_addons: Array<{ id: string; reason: string }>;
  object: 'estimate';
}

/** What a new subscription and a change both take: the items, the subscription's own prices, the terms it runs. */
export interface SubscriptionTerms {
  readonly plan_quantity?: Quantity | undefined;
  readonly addons?: readonly ChosenAddon[] | undefined;
  readonly coupons?: readonly Coupon[] | undefined;
  /** The price this subscription pays for its plan (seed: plans FAQ), in minor units or an exact decimal. */
  readonly plan_unit_price?: number | undefined;
  readonly plan_unit_price_in_decimal?: string | undefined;
  /** Overrides the plan's setup cost, or makes it zero (seed: plans); a change only before the first invoice. */
  readonly setup_fee?: number | undefined;
  /** The terms it runs (from now, for a change) before it ends on its own. */
  readonly billing_cycles?: number | undefined;
}
