import type { Addon } from '../core/schemas/addon.js';
import type { Coupon } from '../core/schemas/coupon.js';
import type { Customer } from '../core/schemas/customer.js';
import type { Plan } from '../core/schemas/plan.js';
import { ResourceStore } from './store.js';

/** The catalog stores of one site, with the columns each is filtered by. */
export class Stores {
  readonly plans: ResourceStore<Plan>;
  readonly addons: ResourceStore<Addon>;
  readonly coupons: ResourceStore<Coupon>;
  readonly customers: ResourceStore<Customer & { status?: string }>;
  constructor(readonly siteId: string) {
    this.plans = new ResourceStore<Plan>('plans', siteId, (p) => ({
      currency_code: p.currency_code,
      enabled_in_hosted_pages: p.enabled_in_hosted_pages ? 1 : 0,
    }));
    this.addons = new ResourceStore<Addon>('addons', siteId, (a) => ({ currency_code: a.currency_code, charge_type: a.charge_type }));
    this.coupons = new ResourceStore<Coupon>('coupons', siteId);
    this.customers = new ResourceStore<Customer & { status?: string }>('customers', siteId, (c) => ({ email: c.email ?? null }));
  }
}
