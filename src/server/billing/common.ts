import type { ChosenAddon } from '../../core/applicability.js';
import { invalid } from '../../core/errors.js';
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

export const chosen = (addons: ReadonlyArray<{ id: string; quantity?: number | undefined }> | undefined): ChosenAddon[] =>
  (addons ?? []).map((a) => ({ id: a.id, ...(a.quantity !== undefined && { quantity: a.quantity }) }));

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
