import type { AddonInput, AddressInput, Cart as CartApi, CheckoutLayout, CustomerInput, Product as ProductApi } from './types.js';
import { isId, isObject, isQty, ok } from './util.js';

type Addon = Required<AddonInput>;
const idOf = (a: string | AddonInput) => (isObject(a) ? a.id : a);

/** A plan with its addons and coupons, as a drop-in button or `initializeProduct` describes it. */
export class Product implements ProductApi {
  planQuantity = 1;
  addons: Addon[] = [];
  coupons: string[] = [];
  customData: Record<string, string> = {};
  layout: CheckoutLayout | undefined;

  constructor(readonly planId: string) {}

  setPlanQuantity(quantity: number): this {
    if (ok(isQty(quantity), 'setPlanQuantity(quantity)', quantity)) this.planQuantity = quantity;
    return this;
  }

  addAddon(addon: string | AddonInput): this {
    const a: AddonInput = typeof addon === 'string' ? { id: addon, quantity: 1 } : { quantity: 1, ...addon };
    if (ok(isId(a.id), 'addAddon: the addon', addon) && ok(isQty(a.quantity), `addAddon: the quantity of ${a.id}`, a.quantity)) {
      this.addons = [...this.addons.filter((x) => x.id !== a.id), { id: a.id, quantity: a.quantity! }];
    }
    return this;
  }

  removeAddon(addon: string | AddonInput): this {
    this.addons = this.addons.filter((x) => x.id !== idOf(addon));
    return this;
  }

  setAddons(addons: Array<string | AddonInput>): this {
    // All or nothing: a scratch product takes them one by one; one bad addon and nothing changes.
    const scratch = new Product(this.planId);
    if (ok(Array.isArray(addons), 'setAddons(addons)', addons) && addons.every((a) => scratch.addAddon(a).addons.some((x) => x.id === idOf(a)))) {
      this.addons = scratch.addons;
    }
    return this;
  }

  incrementAddonQty(id: string): this {
    const a = this.addons.find((x) => x.id === id);
    return a ? (a.quantity++, this) : this.addAddon(id);
  }

  decrementAddonQty(id: string): this {
    const a = this.addons.find((x) => x.id === id);
    return a && a.quantity > 1 ? (a.quantity--, this) : this.removeAddon(id);
  }

  addCoupon(coupon: string): this {
    if (ok(isId(coupon), 'addCoupon(coupon)', coupon) && !this.coupons.includes(coupon)) this.coupons.push(coupon);
    return this;
  }

  removeCoupon(coupon: string): this {
    this.coupons = this.coupons.filter((c) => c !== coupon);
    return this;
  }

  setCustomData(data: Record<string, string>): this {
    if (ok(isObject(data) && Object.values(data).every((v) => typeof v === 'string'), 'setCustomData(data)', data)) this.customData = { ...data };
    return this;
  }
}

/** The cart: one product, the customer and the shipping address; `proceedToCheckout` opens its checkout. */
export class Cart implements CartApi {
  product: Product | undefined;
  customer: CustomerInput | undefined;
  shipping: AddressInput | undefined;

  constructor(readonly proceedToCheckout: () => Promise<void>) {}

  replaceProduct(product: Product): this {
    if (ok(product instanceof Product, 'replaceProduct(product)', product)) this.product = product;
    return this;
  }

  setCustomer(customer: CustomerInput): this {
    if (ok(isObject(customer), 'setCustomer(customer)', customer)) this.customer = customer;
    return this;
  }

  setShippingAddress(address: AddressInput): this {
    if (ok(isObject(address), 'setShippingAddress(address)', address)) this.shipping = address;
    return this;
  }
}
