import type { Addon, Coupon, Plan } from '../src/core/index.js';

export declare const NOW: number;
export declare const TAX_PROFILE: { rates: Array<{ country: string; region: string; rate: string; name: string }> };
export declare const BILLING_ADDRESS: { country: string; state_code: string };
export declare function benchCart(core: typeof import('../src/core/index.js')): {
  plan: Plan;
  coupons: Coupon[];
  lines(n: number): { addons: Addon[]; chosen: Array<{ id: string; quantity: number }> };
};
