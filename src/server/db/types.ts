/** Catalog resources are stored as their JSON document plus the columns routes filter and sort by. */
export interface ResourceRow {
  site_id: string;
  id: string;
  seq: number;
  status: string;
  created_at: number;
  updated_at: number;
  resource_version: number;
  data: string;
}

export interface PlanRow extends ResourceRow {
  currency_code: string;
  enabled_in_hosted_pages: number;
}
export interface AddonRow extends ResourceRow {
  currency_code: string;
  charge_type: string;
}
export interface CouponRow extends ResourceRow {
  discount_type: string | null;
}
export interface CustomerRow extends ResourceRow {
  email: string | null;
}

export interface SiteRow {
  id: string;
  api_key: string;
  publishable_key: string;
  created_at: number;
  /** JSON of a core TaxProfile, or null for no tax. */
  tax_profile: string | null;
  /** JSON of a core SiteBranding (display name, logo, accent), or null: the site's id is its name then. */
  branding?: string | null;
  /** JSON of a core PortalSettings (what the portal lets customers do), or null for the defaults. */
  portal?: string | null;
}

export interface SubscriptionRow extends ResourceRow {
  customer_id: string;
  due_at: number | null;
}
export interface InvoiceRow extends ResourceRow {
  customer_id: string;
  subscription_id: string | null;
}
export interface HostedPageRow extends ResourceRow {
  type: string;
  token_hash: string;
  expires_at: number;
}
export interface PortalSessionRow extends ResourceRow {
  customer_id: string;
  token_hash: string;
  access_hash: string | null;
  expires_at: number;
}
export interface TimeMachineRow {
  site_id: string;
  name: string;
  offset_seconds: number;
  genesis_time: number;
  destination_time: number;
  time_travel_status: string;
  failure_reason: string | null;
}

/** Which subscriptions and invoices use a plan or addon: an item with links can only change a few fields. */
export interface ItemUsageRow {
  site_id: string;
  item_type: 'plan' | 'addon' | 'coupon';
  item_id: string;
  resource_type: 'subscription' | 'invoice';
  resource_id: string;
}

export interface InvoiceDunning {
  retry_at: number | null;
}
export interface PaymentSourceRow extends ResourceRow {
  customer_id: string;
}
export interface TransactionRow extends ResourceRow {
  customer_id: string;
  subscription_id: string | null;
  invoice_id: string | null;
}
export interface GatewayTokenRow {
  site_id: string;
  id: string;
  brand: string;
  last4: string;
  expiry_month: number;
  expiry_year: number;
  behaviour: string;
  authentication: 'none' | 'required' | 'succeeded' | 'failed';
  used_at: number | null;
  created_at: number;
  expires_at: number;
}
export interface GatewayCardRow {
  site_id: string;
  id: string;
  behaviour: string;
  created_at: number;
}
export interface GatewayRefundRow {
  site_id: string;
  idempotency_key: string;
  id: string;
  charge_id: string;
  amount: number;
  created_at: number;
}
export interface GatewayChargeRow {
  site_id: string;
  idempotency_key: string;
  id: string;
  card_id: string;
  amount: number;
  currency_code: string;
  status: 'success' | 'failure';
  error_code: string | null;
  created_at: number;
}
export interface EventRow {
  site_id: string;
  id: string;
  seq: number;
  event_type: string;
  source: string;
  occurred_at: number;
  data: string;
}
export interface WebhookDeliveryRow {
  site_id: string;
  id: string;
  event_id: string;
  endpoint_id: string;
  status: 'pending' | 'delivering' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: number | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}
export interface WebhookAttemptRow {
  delivery_id: string;
  attempt: number;
  instance: string;
  started_at: number;
  duration_ms: number | null;
  status_code: number | null;
  error: string | null;
  next_retry_at: number | null;
}
export interface IdempotencyKeyRow {
  site_id: string;
  scope: string;
  key: string;
  request_hash: string;
  status: 'processing' | 'done';
  response_status: number | null;
  response_body: string | null;
  locked_until: number;
  created_at: number;
  expires_at: number;
}

export interface Database {
  sites: SiteRow;
  plans: PlanRow;
  addons: AddonRow;
  coupons: CouponRow;
  coupon_sets: ResourceRow & { coupon_id: string };
  coupon_codes: ResourceRow & { coupon_id: string; coupon_set_id: string };
  customers: CustomerRow;
  item_usages: ItemUsageRow;
  subscriptions: SubscriptionRow;
  invoices: InvoiceRow & InvoiceDunning;
  payment_sources: PaymentSourceRow;
  transactions: TransactionRow;
  webhook_endpoints: ResourceRow;
  gateway_tokens: GatewayTokenRow;
  gateway_cards: GatewayCardRow;
  gateway_charges: GatewayChargeRow;
  gateway_refunds: GatewayRefundRow;
  events: EventRow;
  webhook_deliveries: WebhookDeliveryRow;
  webhook_attempts: WebhookAttemptRow;
  idempotency_keys: IdempotencyKeyRow;
  hosted_pages: HostedPageRow;
  portal_sessions: PortalSessionRow;
  time_machines: TimeMachineRow;
  sequences: { name: string; value: number };
  /** The version of a site's plans and addons, new on every write to them (catalog-store.ts). */
  catalog_versions: { site_id: string; version: string };
}
