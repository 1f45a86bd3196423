import * as z from 'zod/mini';
import type { Addon } from '../core/schemas/addon.js';
import { browserAddon, browserCoupon, browserHostedPage, browserPlan, browserSubscription } from '../core/schemas/browser.js';
import { money, timestamp } from '../core/schemas/common.js';
import type { Coupon } from '../core/schemas/coupon.js';
import { addressSchema, type Address } from '../core/schemas/address.js';
import type { HostedPage } from '../core/schemas/hosted-page.js';
import type { Plan } from '../core/schemas/plan.js';
import type { Subscription } from '../core/schemas/subscription.js';
import { taxProfileSchema, type TaxProfile } from '../core/tax.js';
import type { CheckoutChoices } from '../core/cart.js';
import { type SiteBranding, siteBrandingSchema } from '../core/schemas/site.js';
import type { AdapterError } from './errors.js';
import type { CardLabels } from './frame-messages.js';

/**
 * The one door between the elements and a backend. Elements take a `BackendAdapter`; `HttpAdapter` is the real one,
 * tests may pass a double. Every answer is parsed with zod before an element sees it.
 */
export interface BackendAdapter {
  /** The plans and addons a customer may choose from, and the tax rates. */
  catalog(options?: { currency?: string; signal?: AbortSignal }): Promise<Catalog>;
  /** The server's estimate of a cart: the numbers a checkout of it would charge now. */
  estimate(cart: CheckoutChoices, options?: { signal?: AbortSignal }): Promise<ServerEstimate>;
  /** A hosted checkout page with what it offers, opened by its token. */
  readHostedPage(id: string, options?: { signal?: AbortSignal }): Promise<HostedPageView>;
  /** Saves the customer's choices on the page; bad ones are refused with the field they name. */
  saveHostedPage(id: string, choices: CheckoutChoices, options?: { signal?: AbortSignal }): Promise<HostedPageView>;
  /** Completes the page: subscribes and charges. `idempotencyKey` makes a repeated submit charge once. */
  submitHostedPage(id: string, choices: CheckoutChoices, options: { idempotencyKey: string; cardToken?: string | undefined; signal?: AbortSignal }): Promise<SubmitResult>;
  /** A portal section's data (the signed-in customer's). */
  readPortalSection(section: 'address', options?: { signal?: AbortSignal }): Promise<PortalAddress>;
  savePortalSection(section: 'address', data: { billing_address: Address; shipping_address?: Address | undefined }, options?: { signal?: AbortSignal }): Promise<PortalAddress>;
  /** A paid page's invoice as a PDF: a short-lived link to it (the success screen's Download). */
  invoicePdf?(hostedPageId: string): Promise<string>;
  /** The card entry for a hosted page's payment step, or undefined when this adapter takes no cards. */
  paymentMethod?(hostedPageId: string): PaymentMethod | undefined;
}

/** What a checkout's customer may choose, in the API's names: the core's cart model (src/core/cart.ts). */
export type { CheckoutChoices };

/** The card entry of the payment step: the backend's card frame, or a test double. Card data never reaches the page. */
export interface PaymentMethod {
  /** The element the payment step shows (the card frame's iframe). */
  readonly element: HTMLElement;
  /** True once every card field is filled in and valid. */
  readonly complete: boolean;
  /**
   * Called as the card changes: whether it is complete, and the problem the customer is to see now, if any (a field's
   * once they have finished it; its `code` is core's card reason, `param` `card[field]`).
   */
  onChange?: ((state: { complete: boolean; error?: AdapterError | undefined }) => void) | undefined;
  /** Tokenizes the card; rejects with the field's problem (as `onChange`'s) when a field is wrong. */
  tokenize(): Promise<{ id: string; brand: string; last4: string; authentication: string }>;
  /**
   * Answers the bank's 3-D Secure challenge for a token (the checkout shows the challenge over itself): resolves
   * once the gateway has taken the answer; a token whose challenge failed cannot be charged.
   */
  authenticate(tokenId: string, outcome: 'complete' | 'fail'): Promise<void>;
  focus(): void;
  /** Labels the card entry in the page's language (its own fields, in a frame, cannot read the page's catalogs). */
  localize?(lang: string, dir: 'ltr' | 'rtl', labels: CardLabels): void;
  /** Judges every card field now, as Pay does, without tokenizing: its problem comes through `onChange`. */
  check?(): void;
  reset(): void;
  destroy(): void;
}

// ------------------------------------------------------------------------------------------------- answers

export const catalogSchema = z.object({
  plans: z.array(browserPlan),
  addons: z.array(browserAddon),
  tax_profile: z.optional(z.nullable(taxProfileSchema)),
});
export interface Catalog {
  plans: Plan[];
  addons: Addon[];
  tax_profile?: TaxProfile | null | undefined;
}

const lineSchema = z.looseObject({ description: z.string(), amount: z.int(), date_from: z.optional(timestamp), date_to: z.optional(timestamp) });
const invoiceEstimateSchema = z.looseObject({
  sub_total: z.int(),
  total: z.int(),
  amount_due: z.optional(z.int()),
  tax: z.optional(z.int()),
  currency_code: z.string(),
  line_items: z.array(lineSchema),
});
/** The server's estimate; the fields the elements read are checked, the rest passes through. */
export const serverEstimateSchema = z.looseObject({
  amount_due_now: money,
  invoice_estimate: z.optional(invoiceEstimateSchema),
  next_invoice_estimate: z.optional(invoiceEstimateSchema),
  /** Credits for unused time, on an immediate change. */
  credit_note_estimates: z.optional(z.array(z.looseObject({ total: z.int(), line_items: z.array(lineSchema) }))),
  subscription_estimate: z.looseObject({ plan_id: z.string(), currency_code: z.string() }),
});
export type ServerEstimate = z.infer<typeof serverEstimateSchema>;

const choiceAddon = z.object({ id: z.string(), quantity: z.optional(z.number()) });
export const hostedPageViewSchema = z.object({
  now: timestamp,
  /** Whom the customer pays. */
  site: z.optional(siteBrandingSchema),
  test_mode: z._default(z.boolean(), false),
  hosted_page: browserHostedPage,
  checkout: z.object({
    kind: z.enum(['new', 'existing']),
    plan_id: z.optional(z.string()),
    plan_quantity: z.optional(z.number()),
    addons: z.optional(z.array(choiceAddon)),
    coupon_ids: z.optional(z.array(z.string())),
  }),
  coupons: z._default(z.array(browserCoupon), []),
  catalog: z.object({ plans: z.array(browserPlan), addons: z.array(browserAddon) }),
  tax_profile: z.optional(z.nullable(taxProfileSchema)),
  customer: z.looseObject({
    email: z.optional(z.string()),
    first_name: z.optional(z.string()),
    last_name: z.optional(z.string()),
    company: z.optional(z.string()),
    phone: z.optional(z.string()),
    billing_address: z.optional(addressSchema),
    billing_address_locked: z._default(z.boolean(), false),
    taxability: z._default(z.string(), 'taxable'),
  }),
  subscription: z.optional(browserSubscription),
  estimate: z.optional(serverEstimateSchema),
  estimate_error: z.optional(z.object({ param: z.optional(z.string()), message: z.string() })),
});
export interface HostedPageView {
  now: number;
  site?: SiteBranding | undefined;
  /** The backend's gateway moves no real money. */
  test_mode?: boolean | undefined;
  hosted_page: HostedPage;
  checkout: { kind: 'new' | 'existing'; plan_id?: string | undefined; plan_quantity?: number | undefined; addons?: Array<{ id: string; quantity?: number | undefined }> | undefined; coupon_ids?: string[] | undefined };
  coupons: Coupon[];
  catalog: { plans: Plan[]; addons: Addon[] };
  tax_profile?: TaxProfile | null | undefined;
  customer: { email?: string | undefined; first_name?: string | undefined; last_name?: string | undefined; company?: string | undefined; phone?: string | undefined; billing_address?: Address | undefined; billing_address_locked: boolean; taxability: string };
  subscription?: Subscription | undefined;
  estimate?: ServerEstimate | undefined;
  estimate_error?: { param?: string | undefined; message: string } | undefined;
}

export const submitResultSchema = z.looseObject({ hosted_page: browserHostedPage, redirect_url: z.optional(z.string()) });
export interface SubmitResult {
  hosted_page: HostedPage;
  redirect_url?: string | undefined;
}
export const downloadSchema = z.looseObject({ download: z.looseObject({ download_url: z.string() }) });

export const portalAddressSchema = z.object({
  billing_address: z.nullable(addressSchema),
  shipping_address: z.optional(addressSchema),
  customer: z.optional(z.looseObject({ id: z.string() })),
});

export interface PortalAddress {
  billing_address: Address | null;
  /** Present when the customer has a shipping address (the ADDRESS section edits it too). */
  shipping_address?: Address | undefined;
  customer?: { id: string } | undefined;
}

export { AdapterError, errorTarget, type ErrorTarget } from './errors.js';
