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
export type CouponRow = ResourceRow;
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

export interface Database {
  sites: SiteRow;
  plans: PlanRow;
  addons: AddonRow;
  coupons: CouponRow;
  customers: CustomerRow;
  item_usages: ItemUsageRow;
  subscriptions: SubscriptionRow;
  invoices: InvoiceRow;
  hosted_pages: HostedPageRow;
  portal_sessions: PortalSessionRow;
  time_machines: TimeMachineRow;
  sequences: { name: string; value: number };
}
