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
  sequences: { name: string; value: number };
}
