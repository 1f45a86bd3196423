import type { HostedPage } from '../../core/schemas/hosted-page.js';
import type { SubscriptionChangeInput } from '../../core/estimate.js';
import type { Address } from '../../core/schemas/customer.js';

/** A new subscription as the billing service takes it: ids from the API call, not catalog records. */
export interface NewSubscriptionParams {
  readonly id?: string | undefined;
  readonly plan_id: string;
  readonly plan_quantity?: number | undefined;
  readonly addons?: ReadonlyArray<{ id: string; quantity?: number | undefined }> | undefined;
  readonly coupon_ids?: readonly string[] | undefined;
  readonly trial_end?: number | undefined;
  readonly billing_cycles?: number | undefined;
  readonly start_date?: number | undefined;
  readonly meta_data?: Record<string, unknown> | undefined;
  readonly shipping_address?: Address | undefined;
}

/** core's change input, with catalog records replaced by the ids an API call names. */
export interface ChangeParams
  extends Pick<
    SubscriptionChangeInput,
    'replace_addon_list' | 'mandatory_items_to_remove' | 'replace_coupon_list' | 'change_option' | 'changes_scheduled_at' | 'force_term_reset' | 'terms_to_charge' | 'reactivate'
  > {
  readonly plan_id?: string | undefined;
  readonly plan_quantity?: number | undefined;
  readonly addons?: ReadonlyArray<{ id: string; quantity?: number | undefined }> | undefined;
  readonly coupon_ids?: readonly string[] | undefined;
  /** Backdates the invoice raised now (checkout_existing_for_items). */
  readonly invoice_date?: number | undefined;
  /** Reactivation date of a cancelled subscription (may be backdated). */
  readonly reactivate_from?: number | undefined;
}


/** What a checkout page will do when the customer completes it: the merchant's request, normalised. */
export interface CheckoutRequest {
  readonly kind: 'new' | 'existing';
  readonly plan_id?: string | undefined;
  readonly plan_quantity?: number | undefined;
  readonly addons: Array<{ id: string; quantity?: number | undefined }>;
  readonly coupon_ids: string[];
  /** New: the customer to create or (with an id) to use. */
  readonly customer?: Record<string, unknown> | undefined;
  readonly billing_address?: Record<string, unknown> | undefined;
  readonly shipping_address?: Record<string, unknown> | undefined;
  readonly trial_end?: number | undefined;
  readonly billing_cycles?: number | undefined;
  readonly start_date?: number | undefined;
  /** Existing: the subscription and the change parameters of checkout_existing(_for_items). */
  readonly subscription_id?: string | undefined;
  readonly change?: ChangeParams | undefined;
}

/** A hosted page as stored: the public resource plus what only the server sees. */
export interface StoredHostedPage {
  readonly id: string;
  created_at: number;
  updated_at: number;
  resource_version: number;
  page: HostedPage;
  /** SHA-256 of the page token (the token itself is given out once, in the page's url). */
  readonly token_hash: string;
  readonly request: CheckoutRequest;
  readonly redirect_url?: string | undefined;
  readonly cancel_url?: string | undefined;
  /** Created by a drop-in button with the publishable key rather than by the merchant's server. */
  readonly drop_in?: boolean | undefined;
  /**
   * New checkouts without customer[id]: the id the customer will get, chosen when the page is made, so declined
   * attempts before the payment that succeeds are all recorded against the same customer.
   */
  readonly new_customer_id?: string | undefined;
}

export type PortalSessionStatus = 'created' | 'logged_in' | 'logged_out' | 'not_yet_activated' | 'activated';

export interface PortalSession {
  readonly id: string;
  readonly customer_id: string;
  status: PortalSessionStatus;
  readonly token_hash: string;
  /** SHA-256 of the access key given to the browser that activated the session; null until then. */
  access_hash?: string | undefined;
  readonly redirect_url?: string | undefined;
  readonly created_at: number;
  readonly expires_at: number;
  updated_at: number;
  resource_version: number;
  login_at?: number | undefined;
  logout_at?: number | undefined;
}

/** The portal session as the API shows it (the token only on create). */
export function portalSessionView(p: PortalSession, extra: { token?: string; access_url?: string } = {}) {
  return {
    id: p.id,
    ...(extra.token !== undefined && { token: extra.token }),
    ...(extra.access_url !== undefined && { access_url: extra.access_url }),
    ...(p.redirect_url !== undefined && { redirect_url: p.redirect_url }),
    status: p.status,
    created_at: p.created_at,
    expires_at: p.expires_at,
    customer_id: p.customer_id,
    ...(p.login_at !== undefined && { login_at: p.login_at }),
    ...(p.logout_at !== undefined && { logout_at: p.logout_at }),
    object: 'portal_session' as const,
  };
}
