import type { Addon } from '../core/schemas/addon.js';
import type { Coupon } from '../core/schemas/coupon.js';
import type { CouponCode, CouponSet } from '../core/schemas/coupon-code.js';
import type { Customer } from '../core/schemas/customer.js';
import type { HostedPage } from '../core/schemas/hosted-page.js';
import type { Invoice } from '../core/schemas/invoice.js';
import type { Plan } from '../core/schemas/plan.js';
import type { Subscription } from '../core/schemas/subscription.js';
import type { PaymentSource, Transaction } from '../core/schemas/payment.js';
import type { PortalSession } from './billing/records.js';
import type { WebhookEndpoint } from './events/endpoints.js';
import type { Dialect } from './db/index.js';
import type { Db } from './db/transaction.js';
import { CatalogStore } from './catalog-store.js';
import { HostedPageStore, ResourceStore } from './store.js';

/** When a subscription next has something to do: start, trial end, renewal, scheduled change or cancellation. */
export function dueAt(s: Subscription): number | null {
  const times: number[] = [];
  if (s.status === 'cancelled' || s.status === 'paused') return null;
  if (s.status === 'future' && s.start_date !== undefined) times.push(s.start_date);
  if (s.status === 'in_trial' && s.trial_end !== undefined) times.push(s.trial_end);
  if ((s.status === 'active' || s.status === 'non_renewing') && s.current_term_end !== undefined) times.push(s.current_term_end);
  if (s.scheduled_changes) times.push(s.scheduled_changes.at);
  return times.length ? Math.min(...times) : null;
}

/** The stores of one site, with the columns each is filtered by. */
export class Stores {
  readonly plans: ResourceStore<Plan>;
  readonly addons: ResourceStore<Addon>;
  readonly coupons: ResourceStore<Coupon>;
  readonly couponSets: ResourceStore<CouponSet>;
  /** Coupon codes, by code (their id). */
  readonly couponCodes: ResourceStore<CouponCode & { id: string }>;
  readonly customers: ResourceStore<Customer & { status?: string }>;
  readonly subscriptions: ResourceStore<Subscription>;
  readonly invoices: ResourceStore<Invoice & { created_at?: number }>;
  readonly hostedPages: HostedPageStore;
  readonly portalSessions: ResourceStore<PortalSession>;
  readonly paymentSources: ResourceStore<PaymentSource & { status: string }>;
  readonly transactions: ResourceStore<Transaction>;
  readonly webhookEndpoints: ResourceStore<WebhookEndpoint>;
  /** Plans and addons as a versioned snapshot in memory: what estimates and checkouts read. */
  readonly catalog: CatalogStore;
  constructor(readonly siteId: string, dialect: Dialect) {
    const touch = (db: Db) => this.catalog.touch(db);
    this.plans = new ResourceStore<Plan>('plans', siteId, dialect, (p) => ({
      currency_code: p.currency_code,
      enabled_in_hosted_pages: p.enabled_in_hosted_pages ? 1 : 0,
    }), touch);
    this.addons = new ResourceStore<Addon>('addons', siteId, dialect, (a) => ({ currency_code: a.currency_code, charge_type: a.charge_type }), touch);
    // Version reads are shared on PostgreSQL, whose transactions run READ COMMITTED (none here asks for another level).
    this.catalog = new CatalogStore(siteId, this.plans, this.addons, dialect === 'postgres');
    this.coupons = new ResourceStore<Coupon>('coupons', siteId, dialect, (c) => ({ discount_type: c.discount_type }));
    this.couponSets = new ResourceStore<CouponSet>('coupon_sets', siteId, dialect, (c) => ({ coupon_id: c.coupon_id }));
    this.couponCodes = new ResourceStore<CouponCode & { id: string }>('coupon_codes', siteId, dialect, (c) => ({ coupon_id: c.coupon_id, coupon_set_id: c.coupon_set_id }));
    // An estimate's coupons, read by id outside a transaction: shared by concurrent estimates on PostgreSQL; on
    // SQLite, by the estimates of one event-loop turn until anything is written (every direct read is: turn-read.ts).
    if (dialect === 'postgres') {
      this.coupons.shareGets();
      this.couponCodes.shareGets();
    }
    this.customers = new ResourceStore<Customer & { status?: string }>('customers', siteId, dialect, (c) => ({ email: c.email ?? null }));
    this.subscriptions = new ResourceStore<Subscription>('subscriptions', siteId, dialect, (s) => ({ customer_id: s.customer_id, due_at: dueAt(s) }));
    this.invoices = new ResourceStore<Invoice & { created_at?: number }>('invoices', siteId, dialect, (i) => ({
      customer_id: i.customer_id,
      subscription_id: i.subscription_id ?? null,
      // Set only while dunning is in progress (Payments.collect removes it otherwise).
      retry_at: i.next_retry_at ?? null,
    }));
    this.hostedPages = new HostedPageStore(siteId, dialect);
    this.portalSessions = new ResourceStore<PortalSession>('portal_sessions', siteId, dialect, (p) => ({
      status: p.status,
      customer_id: p.customer_id,
      token_hash: p.token_hash,
      access_hash: p.access_hash ?? null,
      expires_at: p.expires_at,
    }));
    this.paymentSources = new ResourceStore<PaymentSource & { status: string }>('payment_sources', siteId, dialect, (p) => ({ customer_id: p.customer_id }));
    this.transactions = new ResourceStore<Transaction>('transactions', siteId, dialect, (t) => ({
      customer_id: t.customer_id,
      subscription_id: t.subscription_id ?? null,
      invoice_id: t.linked_invoices[0]?.invoice_id ?? null,
    }));
    this.webhookEndpoints = new ResourceStore<WebhookEndpoint>('webhook_endpoints', siteId, dialect, (e) => ({ status: e.disabled ? 'disabled' : 'active' }));
  }
}
