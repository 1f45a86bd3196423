import type { AppliedCoupon, EstimateContext } from '../../core/estimate.js';
import type { ParamNames } from '../../core/errors.js';
import type { Addon } from '../../core/schemas/addon.js';
import type { Coupon } from '../../core/schemas/coupon.js';
import type { CouponCode } from '../../core/schemas/coupon-code.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { Plan } from '../../core/schemas/plan.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import type { CatalogSnapshot } from '../catalog-store.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { paramError } from '../errors.js';

/** The catalog and account reads billing makes, each refusing a missing record with the parameter that named it. */
export class Lookups {
  constructor(private readonly d: Deps) {}

  private get s() {
    return this.d.stores;
  }

  /** The catalog as of now (in memory while its version is current; read once per transaction). */
  catalog(db: Db): Promise<CatalogSnapshot> {
    return this.s.catalog.snapshot(db);
  }

  /** What every estimate needs besides its items: the addon catalog, the taxes, the customer's address, the time. */
  async context(trx: Db, customer: Pick<Customer, 'billing_address' | 'taxability'> | undefined, now: number, names?: ParamNames, catalog?: CatalogSnapshot): Promise<EstimateContext> {
    const snapshot = catalog ?? (await this.catalog(trx));
    return {
      addons: snapshot.addons,
      applicability: snapshot.applicability,
      taxProfile: this.d.taxProfile,
      billingAddress: customer?.billing_address,
      taxExempt: customer?.taxability === 'exempt',
      now,
      ...(names && { names }),
    };
  }

  async plan(trx: Db, id: string, param = 'plan_id', catalog?: CatalogSnapshot): Promise<Plan> {
    const plan = (catalog ?? (await this.catalog(trx))).plan(id);
    if (!plan) throw paramError(param, `plan "${id}" does not exist`);
    return plan;
  }

  /**
   * The coupons `ids` name: each a coupon's id, or one of its codes (Chargebee takes a code where a coupon id is
   * expected). A code must not have been redeemed or archived; the codes used are returned to be redeemed.
   */
  async coupons(trx: Db, ids: readonly string[] | undefined, param = 'coupon_ids'): Promise<{ coupons: Coupon[]; codes: CouponCode[] }> {
    const coupons: Coupon[] = [];
    const codes: CouponCode[] = [];
    for (const [i, id] of (ids ?? []).entries()) {
      const name = `${param}[${String(i)}]`;
      const direct = await this.s.coupons.get(trx, id);
      if (direct) {
        coupons.push(direct);
        continue;
      }
      const code = await this.s.couponCodes.get(trx, id);
      if (!code) throw paramError(name, `coupon "${id}" does not exist`);
      if (code.status !== 'not_redeemed') throw paramError(name, `coupon code "${id}" is ${code.status === 'redeemed' ? 'already redeemed' : 'archived'}`);
      const coupon = await this.s.coupons.get(trx, code.coupon_id);
      if (!coupon) throw paramError(name, `coupon code "${id}" is for a coupon that no longer exists`);
      coupons.push(coupon);
      codes.push(code);
    }
    return { coupons, codes };
  }

  async addon(trx: Db, id: string, param = 'addon_id'): Promise<Addon> {
    const a = (await this.catalog(trx)).addon(id);
    if (!a) throw paramError(param, `addon "${id}" does not exist`);
    return a;
  }

  async customer(trx: Db, id: string, param = 'customer_id'): Promise<Customer> {
    const c = await this.s.customers.get(trx, id);
    if (!c) throw paramError(param, `customer "${id}" does not exist`);
    return c;
  }

  subscription(trx: Db, id: string): Promise<Subscription | undefined> {
    return this.s.subscriptions.get(trx, id);
  }

  /** The coupons on a subscription, with their catalog records. */
  async applied(trx: Db, sub: Subscription): Promise<AppliedCoupon[]> {
    const out: AppliedCoupon[] = [];
    for (const c of sub.coupons ?? []) {
      const coupon = await this.s.coupons.get(trx, c.coupon_id);
      if (coupon) out.push({ coupon, applied_at: c.applied_at ?? sub.created_at ?? 0, applied_count: c.applied_count });
    }
    return out;
  }

  /** The one-time charges scheduled for the subscription's next renewal, with their addons. */
  async termEndCharges(trx: Db, sub: Subscription): Promise<Array<{ addon: Addon; quantity: number }>> {
    const out: Array<{ addon: Addon; quantity: number }> = [];
    const catalog = await this.catalog(trx);
    for (const c of sub.charges_at_term_end ?? []) {
      const addon = catalog.addon(c.addon_id);
      if (addon) out.push({ addon, quantity: c.addon_quantity });
    }
    return out;
  }
}
