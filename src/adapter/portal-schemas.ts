import * as z from 'zod/mini';
import { browserAddon, browserPlan } from '../core/schemas/browser.js';
import { timestamp } from '../core/schemas/common.js';
import { serverEstimateSchema } from './adapter.js';

/**
 * The answers of the portal's section routes (`/api/browser/v2/portal/...`), checked as every other answer before
 * the portal shows them. Loose objects: a newer server may add fields.
 */
const money = z.int();
const addon = z.looseObject({ id: z.string(), quantity: z.optional(z.int()), name: z.optional(z.string()) });

export const portalSubscription = z.looseObject({
  id: z.string(),
  plan_id: z.string(),
  /** The plan's name as customers read it (the list of subscriptions gives it). */
  plan_name: z.optional(z.string()),
  plan_quantity: z.optional(z.int()),
  status: z.enum(['future', 'in_trial', 'active', 'non_renewing', 'paused', 'cancelled']),
  currency_code: z.string(),
  current_term_end: z.optional(timestamp),
  next_billing_at: z.optional(timestamp),
  cancelled_at: z.optional(timestamp),
  addons: z.optional(z.array(addon)),
  has_scheduled_changes: z.optional(z.boolean()),
});
export type PortalSubscription = z.infer<typeof portalSubscription>;

export const subscriptionView = z.looseObject({
  subscription: portalSubscription,
  plan: z.looseObject({ id: z.string(), name: z.string(), price: z.optional(z.int()), period: z.optional(z.int()), period_unit: z.optional(z.string()) }),
  addons: z.array(addon),
  next_invoice: z.optional(z.looseObject({ date: timestamp, total: money, amount_due: money, currency_code: z.string() })),
  scheduled_changes: z.optional(z.looseObject({ at: timestamp, plan_id: z.optional(z.string()), plan_name: z.optional(z.string()), plan_quantity: z.optional(z.int()), addons: z.optional(z.array(addon)) })),
  charges_at_term_end: z.array(z.looseObject({ addon_id: z.string(), name: z.string(), quantity: z.int() })),
  actions: z.looseObject({
    cancel: z.nullable(z.enum(['end_of_term', 'immediately'])),
    remove_scheduled_cancellation: z.boolean(),
    reactivate: z.boolean(),
    change: z.array(z.enum(['immediately', 'end_of_term'])),
    remove_scheduled_changes: z.boolean(),
    packs: z.boolean(),
  }),
});
export type SubscriptionView = z.infer<typeof subscriptionView>;

export const subscriptionOptions = z.looseObject({
  plans: z.array(browserPlan),
  addons: z.array(browserAddon),
  packs: z.array(browserAddon),
  change_options: z.array(z.enum(['immediately', 'end_of_term'])),
});
export type SubscriptionOptions = z.infer<typeof subscriptionOptions>;

export const changeEstimate = z.looseObject({ estimate: serverEstimateSchema });
/** The invoice an action raised: `amount_paid` is what the card paid (the total less any credits applied). */
const paidInvoice = z.looseObject({ id: z.string(), status: z.string(), total: money, amount_paid: money });

export const subscriptionResult = z.looseObject({
  subscription: portalSubscription,
  invoice: z.optional(paidInvoice),
});

export const portalInvoice = z.looseObject({
  id: z.string(),
  date: z.optional(timestamp),
  status: z.string(),
  total: money,
  amount_due: z._default(money, 0),
  credits_applied: z._default(money, 0),
  currency_code: z.string(),
  payable: z._default(z.boolean(), false),
});
export type PortalInvoice = z.infer<typeof portalInvoice>;
export const invoiceList = z.looseObject({ list: z.array(portalInvoice) });
export const invoiceResult = z.looseObject({ invoice: portalInvoice });
export const downloadResult = z.looseObject({ download: z.looseObject({ download_url: z.string(), valid_till: timestamp, mime_type: z.literal('application/pdf') }) });
export const packResult = z.looseObject({ invoice: z.optional(paidInvoice), subscription: z.optional(portalSubscription) });

export const portalCard = z.looseObject({
  id: z.string(),
  status: z.string(),
  primary: z._default(z.boolean(), false),
  card: z.optional(z.looseObject({ brand: z.string(), last4: z.string(), expiry_month: z.int(), expiry_year: z.int() })),
});
export type PortalCard = z.infer<typeof portalCard>;
export const cardList = z.looseObject({ list: z.array(portalCard) });
export const cardResult = z.looseObject({ payment_source: z.looseObject({ id: z.string() }) });

const text = z.optional(z.nullable(z.string()));
export const accountResult = z.looseObject({ customer: z.looseObject({ id: z.string(), email: text, first_name: text, last_name: text, company: text, phone: text }) });
export const subscriptionList = z.looseObject({ list: z.array(portalSubscription) });
