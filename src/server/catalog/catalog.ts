import { applicableAddons } from '../../core/applicability.js';
import { type FieldError, PaylitValidationError, parseOrThrow } from '../../core/errors.js';
import { type Addon, addonSchema } from '../../core/schemas/addon.js';
import type { Coupon } from '../../core/schemas/coupon.js';
import type { CouponCode, CouponSet } from '../../core/schemas/coupon-code.js';
import { type Plan, planSchema } from '../../core/schemas/plan.js';
import { publicItem } from '../billing/checkout-view.js';
import type { CatalogSnapshot } from '../catalog-store.js';
import { type Deps, nextVersion } from '../context.js';
import type { Db } from '../db/transaction.js';
import { duplicate, invalidState, notFound, paramError } from '../errors.js';
import type { ResourceStore } from '../store.js';
import type { ItemType, Usages } from './usages.js';

/** Fields the server owns: a client may not send them. */
export const SERVER_FIELDS = ['status', 'archived_at', 'created_at', 'updated_at', 'resource_version', 'object', 'deleted', 'redemptions', 'promotional_credits', 'refundable_credits'];

/** Once an invoice or a subscription uses an addon, only these may change (seed: addons API). */
const LINKED_ADDON_FIELDS = new Set(['name', 'invoice_name', 'price', 'price_in_decimal']);
/** With subscriptions, a plan's billing shape is fixed (seed: plans). */
const LINKED_PLAN_FIXED = ['currency_code', 'period', 'period_unit', 'pricing_model', 'tiers', 'free_quantity', 'free_quantity_in_decimal', 'giftable'];

const refuse = (keys: readonly string[], message: string) => {
  if (keys.length) throw new PaylitValidationError(keys.map((param) => ({ param, message })));
};

/**
 * The product catalog (plans, addons, coupons) as the seeds rule it: ids unique, linked items archived rather than
 * deleted and changed only where the seeds allow, applicability checked against the addons that exist.
 */
export class Catalog {
  constructor(
    private readonly d: Deps,
    private readonly usages: Usages,
  ) {}

  private get s() {
    return this.d.stores;
  }

  // ---------------------------------------------------------------- addons
  createAddon(trx: Db, input: Addon): Promise<Addon> {
    return this.insertNew(trx, this.s.addons, input);
  }

  /** `patch` holds the fields the call gave (form strings already typed); the merged addon is checked whole. */
  async updateAddon(trx: Db, id: string, patch: Record<string, unknown>): Promise<Addon> {
    const current = await this.editable(trx, this.s.addons, 'addon', id);
    if (await this.usages.isLinked(trx, 'addon', id)) {
      refuse(Object.keys(patch).filter((k) => !LINKED_ADDON_FIELDS.has(k)), 'cannot be changed once the addon has subscriptions or invoices; only name, invoice_name and price can');
    }
    const base = withoutServerFields(current);
    // A change of charge type resets the period fields unless they are given again.
    if ('charge_type' in patch && patch.charge_type !== current.charge_type) {
      if (!('period' in patch)) delete base.period;
      if (!('period_unit' in patch)) delete base.period_unit;
    }
    const merged = parseOrThrow(addonSchema, { ...base, ...patch });
    return this.s.addons.update(trx, this.restamp(merged, current));
  }

  /** Deletes (or archives) an addon; a deleted one leaves the coupons that named it (seed: addons API). */
  async deleteAddon(trx: Db, id: string): Promise<Addon> {
    const addon = await this.deleteOrArchive(trx, this.s.addons, 'addon', id, (a, now) => ({ ...a, status: 'archived' as const, archived_at: now }));
    if (addon.status === 'deleted') await this.forgetInCoupons(trx, 'addon_ids', id);
    return addon;
  }

  // ---------------------------------------------------------------- plans
  async createPlan(trx: Db, input: Plan): Promise<Plan> {
    this.checkRedirect(input);
    await this.checkPlanAddons(trx, input);
    return this.insertNew(trx, this.s.plans, input);
  }

  /** POST /plans/copy within this site: the plan under a new id, active. */
  async copyPlan(trx: Db, from: string, to: string | undefined): Promise<Plan> {
    const source = await this.s.plans.get(trx, from);
    if (!source) throw notFound('plan', from);
    const newId = to ?? `${source.id}-copy`;
    if (await this.s.plans.get(trx, newId)) throw duplicate('id_at_to_site', `The value ${newId} is already present.`);
    const now = this.d.clock.now();
    const { archived_at: _a, ...rest } = source;
    const copy = parseOrThrow(planSchema, { ...rest, id: newId, status: 'active', created_at: now, updated_at: now, resource_version: nextVersion(now) });
    return this.s.plans.insert(trx, copy);
  }

  async updatePlan(trx: Db, id: string, patch: Record<string, unknown>): Promise<Plan> {
    const current = await this.editable(trx, this.s.plans, 'plan', id);
    if (await this.usages.isLinked(trx, 'plan', id)) {
      // Seed: with subscriptions, the billing shape is fixed; the price may change on flat fee and per unit only, and a
      // new price applies to new subscriptions (existing ones keep the price they were sold at).
      const errors: FieldError[] = LINKED_PLAN_FIXED.filter((k) => k in patch).map((param) => ({ param, message: 'cannot be changed once the plan has subscriptions' }));
      if (('price' in patch || 'price_in_decimal' in patch) && !['flat_fee', 'per_unit'].includes(current.pricing_model)) {
        errors.push({ param: 'price', message: 'can change on plans with subscriptions only under flat fee or per unit pricing' });
      }
      if (errors.length) throw new PaylitValidationError(errors);
    }
    // Seed: every attribute but the plan id and "This is a gift plan" can change (the id is refused by the route).
    if ('giftable' in patch && patch.giftable !== current.giftable) throw paramError('giftable', 'cannot be changed once the plan exists; create a gift plan as such');
    const merged = parseOrThrow(planSchema, { ...withoutServerFields(current), ...patch });
    this.checkRedirect(merged);
    await this.checkPlanAddons(trx, merged);
    return this.s.plans.update(trx, this.restamp(merged, current));
  }

  async deletePlan(trx: Db, id: string): Promise<Plan> {
    const plan = await this.deleteOrArchive(trx, this.s.plans, 'plan', id, (p, now) => ({ ...p, status: 'archived' as const, archived_at: now }));
    if (plan.status === 'deleted') await this.forgetInCoupons(trx, 'plan_ids', id);
    return plan;
  }

  // ---------------------------------------------------------------- coupons
  /** A coupon may name only plans and addons that exist. */
  async createCoupon(trx: Db, input: Coupon): Promise<Coupon> {
    const errors: FieldError[] = [];
    for (const [list, store] of [['plan_ids', this.s.plans], ['addon_ids', this.s.addons]] as const) {
      for (const [i, itemId] of (input[list] ?? []).entries()) {
        if (!(await store.get(trx, itemId))) errors.push({ param: `${list}[${String(i)}]`, message: `"${itemId}" is not a ${list === 'plan_ids' ? 'plan' : 'addon'} of this site` });
      }
    }
    if (errors.length) throw new PaylitValidationError(errors);
    return this.insertNew(trx, this.s.coupons, input);
  }

  /** A set of codes for an active coupon. */
  async createCouponSet(trx: Db, input: CouponSet): Promise<CouponSet> {
    const coupon = await this.s.coupons.get(trx, input.coupon_id);
    if (!coupon) throw paramError('coupon_id', `coupon "${input.coupon_id}" does not exist`);
    if (coupon.status !== 'active') throw paramError('coupon_id', `coupon "${coupon.id}" is ${coupon.status}`);
    return this.insertNew(trx, this.s.couponSets, input);
  }

  /** Adds codes to a set: each unique on the site, and not a coupon's id (a code stands where an id may). */
  async addCouponCodes(trx: Db, setId: string, codes: readonly string[]): Promise<CouponSet> {
    const set = await this.s.couponSets.get(trx, setId);
    if (!set) throw notFound('coupon_set', setId);
    const now = this.d.clock.now();
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    for (const [i, code] of codes.entries()) {
      if (seen.has(code) || (await this.s.couponCodes.get(trx, code)) || (await this.s.coupons.get(trx, code))) {
        errors.push({ param: `code[${String(i)}]`, message: `"${code}" is already a coupon code or a coupon id`, code: 'duplicate_entry' });
      }
      seen.add(code);
    }
    if (errors.length) throw new PaylitValidationError(errors);
    for (const code of codes) {
      await this.s.couponCodes.insert(trx, { id: code, code, coupon_id: set.coupon_id, coupon_set_id: set.id, status: 'not_redeemed', created_at: now, updated_at: now, resource_version: nextVersion(now), object: 'coupon_code' });
    }
    return set;
  }

  /** An archived code can no longer be redeemed. */
  async archiveCouponCode(trx: Db, code: string): Promise<CouponCode & { id: string }> {
    const current = await this.s.couponCodes.get(trx, code);
    if (!current) throw notFound('coupon_code', code);
    if (current.status === 'archived') return current;
    const now = this.d.clock.now();
    return this.s.couponCodes.update(trx, { ...current, status: 'archived', updated_at: now, resource_version: nextVersion(now, current.resource_version) });
  }

  deleteCoupon(trx: Db, id: string): Promise<Coupon> {
    return this.deleteOrArchive(trx, this.s.coupons, 'coupon', id, (k) => ({ ...k, status: 'archived' as const }));
  }

  // ---------------------------------------------------------------- what a browser sees
  /**
   * What a customer may see, as the JSON text of the browser catalog route: active plans enabled in hosted pages (of
   * `currency`, when given), the active addons in their currencies, and the tax rates. Made once per catalog version.
   */
  async browserCatalog(db: Db, currency: string | undefined): Promise<string> {
    const catalog = await this.s.catalog.snapshot(db);
    const make = (s: CatalogSnapshot) => {
      const visible = s.plans.filter((p) => p.status === 'active' && p.enabled_in_hosted_pages && (!currency || p.currency_code === currency));
      const currencies = new Set(visible.map((p) => p.currency_code));
      return JSON.stringify({ plans: visible.map(publicItem), addons: s.activeAddons.filter((a) => currencies.has(a.currency_code)).map(publicItem), tax_profile: this.d.taxProfile ?? null });
    };
    // Kept only for currencies the catalog has, so a caller cannot fill memory with made-up ones.
    const known = currency === undefined || catalog.plans.some((p) => p.currency_code === currency);
    return known ? catalog.derived(`browser:${currency ?? ''}`, make) : make(catalog);
  }

  // ---------------------------------------------------------------- rules shared by the three
  /** Seed: a plan's redirect_url takes the customer there after checkout; its domain must be allow-listed. */
  private checkRedirect(plan: Plan): void {
    if (plan.redirect_url !== undefined && !this.d.allowedOrigins.includes(new URL(plan.redirect_url).origin)) {
      throw paramError('redirect_url', "must be on one of the site's allowed origins (PAYLIT_ALLOWED_ORIGINS)");
    }
  }

  /** A deleted plan or addon leaves the coupons that named it. */
  private async forgetInCoupons(trx: Db, list: 'plan_ids' | 'addon_ids', id: string): Promise<void> {
    const now = this.d.clock.now();
    for (const c of await this.s.coupons.all(trx)) {
      if (!c[list]?.includes(id)) continue;
      await this.s.coupons.update(trx, { ...c, [list]: c[list].filter((x) => x !== id), updated_at: now, resource_version: nextVersion(now, c.resource_version) });
    }
  }

  /** Attached, applicable and event-based addons must exist and be attachable (archived ones are refused). */
  private async checkPlanAddons(trx: Db, plan: Plan): Promise<void> {
    const ids = new Set([...(plan.attached_addons ?? []), ...(plan.applicable_addons ?? []), ...(plan.event_based_addons ?? [])].map((a) => a.id));
    if (ids.size === 0) return;
    const catalog = (await this.s.addons.all(trx)).filter((a) => ids.has(a.id));
    const { unavailable } = applicableAddons(plan, catalog);
    const errors: FieldError[] = [];
    for (const u of unavailable) {
      for (const [list, entries] of [['attached_addons', plan.attached_addons], ['applicable_addons', plan.applicable_addons], ['event_based_addons', plan.event_based_addons]] as const) {
        (entries ?? []).forEach((e, i) => {
          if (e.id === u.id) errors.push({ param: `${list}[id][${String(i)}]`, message: u.reason });
        });
      }
    }
    if (errors.length) throw new PaylitValidationError(errors);
  }

  /** Inserts a new item stamped with the server's times, refusing a duplicate id. */
  private async insertNew<T extends { id: string }>(trx: Db, store: ResourceStore<T>, input: T): Promise<T> {
    const now = this.d.clock.now();
    if (await store.get(trx, input.id)) throw duplicate('id', `The value ${input.id} is already present.`);
    return store.insert(trx, { ...input, created_at: now, updated_at: now, resource_version: nextVersion(now) });
  }

  /** The item to edit: it exists and is active (archived items cannot be edited). */
  private async editable<T extends { id: string; status?: string }>(trx: Db, store: ResourceStore<T>, type: ItemType, id: string): Promise<T> {
    const current = await store.get(trx, id);
    if (!current) throw notFound(type, id);
    if (current.status !== 'active') throw invalidState(`The ${type} ${id} is ${String(current.status)} and cannot be edited.`);
    return current;
  }

  private restamp<T extends { status?: string; created_at?: number; resource_version?: number }>(next: T, current: T): T {
    const now = this.d.clock.now();
    return { ...next, status: current.status, created_at: current.created_at, updated_at: now, resource_version: nextVersion(now, current.resource_version) };
  }

  /**
   * Seed rule for plans, addons and coupons: an item that subscriptions or invoices use is archived, not purged
   * (those keep renewing); an unused one is removed and returned once more with status "deleted".
   */
  private async deleteOrArchive<T extends { id: string; status?: string; resource_version?: number }>(trx: Db, store: ResourceStore<T>, type: ItemType, id: string, archived: (current: T, now: number) => T): Promise<T> {
    const current = await store.get(trx, id);
    if (!current) throw notFound(type, id);
    const now = this.d.clock.now();
    if (await this.usages.isLinked(trx, type, id)) {
      if (current.status === 'archived') return current;
      return store.update(trx, { ...archived(current, now), updated_at: now, resource_version: nextVersion(now, current.resource_version) });
    }
    await store.remove(trx, id);
    return { ...current, status: 'deleted', updated_at: now };
  }
}

function withoutServerFields<T extends object>(r: T): Record<string, unknown> {
  const base = { ...r } as Record<string, unknown>;
  for (const k of SERVER_FIELDS) delete base[k];
  return base;
}
