import type { ChosenAddon } from '../../core/addon-choice.js';
import { invalid, type ParamNames, PaylitValidationError, sameNames } from '../../core/errors.js';
import type { Addon } from '../../core/schemas/addon.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { Subscription, SubscriptionAddon } from '../../core/schemas/subscription.js';
import { nextVersion } from '../context.js';
import type { EventSource } from '../events/outbox.js';

/** What a billing operation returns: the subscription, its customer, and the invoice it raised (if any). */
export interface BillingResult {
  subscription: Subscription;
  customer: Customer;
  invoice?: Invoice | undefined;
}

/** Where the events of an operation say it came from (`api` unless said). */
export interface Origin {
  readonly source?: EventSource | undefined;
}

/** A resource with its update time and the next resource_version. */
export function stamp<T extends { resource_version?: number | undefined }>(r: T, now: number): T {
  return { ...r, updated_at: now, resource_version: nextVersion(now, r.resource_version) };
}

/** The addons a call chose, a decimal quantity where one is given (`addons[quantity_in_decimal][i]`). */
export function chosen(addons: ReadonlyArray<{ id: string; quantity?: number | undefined; quantity_in_decimal?: string | undefined }> | undefined, names: ParamNames = sameNames): ChosenAddon[] {
  const both = (addons ?? []).flatMap((a, i) => (a.quantity !== undefined && a.quantity_in_decimal !== undefined ? [{ param: names(`addons[quantity_in_decimal][${String(i)}]`), message: 'give quantity or quantity_in_decimal, not both' }] : []));
  if (both.length) throw new PaylitValidationError(both);
  return (addons ?? []).map((a) => {
    const q = a.quantity_in_decimal ?? a.quantity;
    return { id: a.id, ...(q !== undefined && { quantity: q }) };
  });
}

/** The plan's quantity as a call gives it: whole, or in decimals (`plan_quantity_in_decimal`). */
export function planQuantity(p: { plan_quantity?: number | undefined; plan_quantity_in_decimal?: string | undefined }, names: ParamNames = sameNames): number | string | undefined {
  if (p.plan_quantity !== undefined && p.plan_quantity_in_decimal !== undefined) throw invalid(names('plan_quantity_in_decimal'), 'give plan_quantity or plan_quantity_in_decimal, not both');
  return p.plan_quantity_in_decimal ?? p.plan_quantity;
}

/** A subscription's addon line at the catalog price it is sold at. */
export function subscriptionAddon(a: { id: string; quantity: number; quantity_in_decimal?: string | undefined }, addon: Addon | undefined): SubscriptionAddon {
  if (!addon) throw invalid('addons', `addon "${a.id}" does not exist`);
  return {
    id: a.id,
    quantity: a.quantity,
    ...(a.quantity_in_decimal !== undefined && { quantity_in_decimal: a.quantity_in_decimal }),
    unit_price: addon.price,
    ...(addon.price_in_decimal !== undefined && { unit_price_in_decimal: addon.price_in_decimal }),
    object: 'addon',
  };
}

/** The named fields of `o` that are defined. */
export function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * Names for core's errors when quantities came in decimals: core checks `plan_quantity` and `addons[quantity][i]`,
 * which the call sent as `plan_quantity_in_decimal` and `addons[quantity_in_decimal][i]`.
 */
export function quantityNames(p: { plan_quantity_in_decimal?: string | undefined; addons?: ReadonlyArray<{ quantity_in_decimal?: string | undefined }> | undefined }, names: ParamNames = sameNames): ParamNames {
  // The usual call, whole quantities only: the names as they are (no set and no closure per estimate).
  if (p.plan_quantity_in_decimal === undefined && !p.addons?.some((a) => a.quantity_in_decimal !== undefined)) return names;
  const decimalAddons = new Set((p.addons ?? []).flatMap((a, i) => (a.quantity_in_decimal !== undefined ? [`addons[quantity][${String(i)}]`] : [])));
  return (param) => {
    if (param === 'plan_quantity' && p.plan_quantity_in_decimal !== undefined) return names('plan_quantity_in_decimal');
    if (decimalAddons.has(param)) return names(param.replace('[quantity]', '[quantity_in_decimal]'));
    return names(param);
  };
}
