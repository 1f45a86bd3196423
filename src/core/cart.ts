/**
 * The cart of a hosted checkout page: one model for the checkout element, the adapter and the server.
 *
 *   page (the merchant's request) → Cart (what the customer edits) → choices (the API payload of save and submit)
 *                                                                  → NewSubscriptionInput (the live estimate)
 *
 * The page fixes the plan (a merchant who created a page for `credits-starter` sells nothing else on it); the customer
 * chooses among the addons that plan allows (seed: applicable addons), with quantities, and gives coupons, an email
 * and a billing address. The server parses save and submit with `checkoutChoicesParams` and refuses, by
 * `cartProblems`, what the page does not offer, so the modal cannot be talked into another plan.
 */
import type * as z from 'zod/mini';
import { applicableAddons } from './applicability.js';
import type { FieldError } from './errors.js';
import type { NewSubscriptionInput } from './estimate.js';
import type { Addon } from './schemas/addon.js';
import type { Coupon } from './schemas/coupon.js';
import type { Address } from './schemas/address.js';
import type { Plan } from './schemas/plan.js';
import type { checkoutChoicesParams } from './params/checkout.js';

/** What a checkout's browser sends with save and submit, in the API's names (the checkout parameter family). */
export type CheckoutChoices = z.input<typeof checkoutChoicesParams>;

export interface CartLine {
  readonly id: string;
  readonly quantity: number;
}

/** What the customer edits on the page. */
export interface Cart {
  /** The page's plan: fixed. */
  readonly planId: string;
  readonly planQuantity?: number | undefined;
  readonly addons: readonly CartLine[];
  readonly couponIds: readonly string[];
  readonly email: string;
  readonly address: Address;
}

/** How the page was set up: what the merchant fixed and what the customer still gives. */
export interface CartRules {
  /** A change to an existing subscription: only addons and coupons are the customer's. */
  readonly existing: boolean;
  /** The customer's email is known (the merchant gave it): not asked again. */
  readonly emailKnown: boolean;
  /** The customer's billing address is on file: edited in the portal, not here. */
  readonly addressLocked: boolean;
}

/** The addons the customer may add or remove on `plan` (mandatory ones come with the plan). */
export function choosableAddons(plan: Plan, catalog: readonly Addon[]): Addon[] {
  return applicableAddons(plan, catalog).offered.filter((o) => o.kind !== 'mandatory').map((o) => o.addon);
}

/** The cart a page opens with: its plan, its packs preselected (those the plan allows), its coupons and customer. */
export function openCart(
  page: { plan_id?: string | undefined; plan_quantity?: number | undefined; addons?: ReadonlyArray<{ id: string; quantity?: number | undefined }> | undefined; coupon_ids?: readonly string[] | undefined },
  plan: Plan | undefined,
  catalog: readonly Addon[],
  customer: { email?: string | undefined; billing_address?: Address | undefined },
): Cart {
  const allowed = new Set(plan ? choosableAddons(plan, catalog).map((a) => a.id) : []);
  return {
    planId: page.plan_id ?? '',
    planQuantity: page.plan_quantity,
    addons: (page.addons ?? []).filter((a) => allowed.has(a.id)).map((a) => ({ id: a.id, quantity: a.quantity ?? 1 })),
    couponIds: [...(page.coupon_ids ?? [])],
    email: customer.email ?? '',
    address: customer.billing_address ?? {},
  };
}

/** The cart as the API's save and submit take it: only what the customer may give on this page. */
export function cartChoices(cart: Cart, rules: CartRules): CheckoutChoices {
  const addons = cart.addons.map((a) => ({ id: a.id, quantity: a.quantity }));
  if (rules.existing) return { addons, coupon_ids: [...cart.couponIds] };
  const out: CheckoutChoices = { plan_id: cart.planId, addons, coupon_ids: [...cart.couponIds] };
  if (!rules.addressLocked && Object.keys(cart.address).length) out.billing_address = { ...cart.address };
  if (!rules.emailKnown && cart.email.trim()) out.customer = { email: cart.email.trim() };
  return out;
}

/** The core estimate's input for the cart: the numbers the summary shows are the ones the server charges. */
export function cartEstimateInput(cart: Cart, plan: Plan, coupons: readonly Coupon[]): NewSubscriptionInput {
  return {
    plan,
    plan_quantity: cart.planQuantity,
    addons: cart.addons,
    coupons: coupons.filter((c) => cart.couponIds.includes(c.id)),
    // The addon rule is shown next to the picker (cartProblems), not as an estimate error.
    defer_addon_requirement: true,
  };
}

/**
 * What the page does not allow in these choices, by the parameter it names: another plan than the page's, an
 * addon the plan does not allow. Empty when the page offers all of it. (The addon rule, a pack where the plan needs
 * one, is the estimate's: it holds on every way into a subscription.)
 */
export function cartProblems(choices: CheckoutChoices, pagePlan: Plan, catalog: readonly Addon[]): FieldError[] {
  const plan = planProblem(choices, pagePlan.id);
  const out: FieldError[] = plan ? [plan] : [];
  const allowed = new Set(choosableAddons(pagePlan, catalog).map((a) => a.id));
  (choices.addons ?? []).forEach((a, i) => {
    if (!allowed.has(a.id)) out.push({ param: `addons[id][${String(i)}]`, message: `"${a.id}" cannot be added to ${pagePlan.name}` });
  });
  return out;
}

/** Another plan than the page's: the page fixes its plan. */
export function planProblem(choices: CheckoutChoices, pagePlanId: string): FieldError | undefined {
  return choices.plan_id !== undefined && choices.plan_id !== pagePlanId
    ? { param: 'plan_id', message: `is fixed by this checkout page ("${pagePlanId}"); the shop creates a new page for another plan` }
    : undefined;
}

/** The addon rule for the customer: where the plan needs a pack, one must be in the cart. */
export function missingPack(cart: Cart, plan: Plan | undefined): boolean {
  return !!plan?.addon_required && !cart.addons.some((a) => a.quantity >= 1);
}
