import { applyCoupons, type DiscountableLine } from './discounts.js';
import { mulDivRound, sum } from './money.js';
import type { PricedLine } from './pricing.js';
import type { Coupon } from './schemas/coupon.js';
import type { Address } from './schemas/address.js';
import type { PricingModel } from './schemas/common.js';
import type { Discount, LineItem, Tax } from './schemas/invoice.js';
import { percentFraction, taxRateFor, type TaxProfile } from './tax.js';

/** A charge before coupons and tax: one future invoice line. */
export interface Charge {
  readonly entity_type: LineItem['entity_type'];
  readonly entity_id?: string | undefined;
  readonly description: string;
  readonly pricing_model: PricingModel;
  readonly priced: PricedLine;
  readonly date_from: number;
  readonly date_to: number;
  readonly taxable: boolean;
}

export interface LineItemDiscount {
  line_item_id: string;
  discount_type: 'item_level_coupon' | 'document_level_coupon';
  coupon_id: string;
  discount_amount: number;
  object: 'line_item_discount';
}

export interface LineItemTax {
  line_item_id: string;
  tax_name: string;
  tax_rate: string;
  tax_amount: number;
  taxable_amount: number;
  object: 'line_item_tax';
}

/** Chargebee's invoice_estimate (and, with `object: 'credit_note_estimate'`, the credit note's). */
export interface InvoiceEstimate {
  recurring: boolean;
  date: number;
  price_type: 'tax_exclusive';
  currency_code: string;
  sub_total: number;
  /** Sum of the discounts, for convenience; Chargebee lists them in `discounts`. */
  discount_total: number;
  tax: number;
  total: number;
  credits_applied: number;
  amount_paid: number;
  amount_due: number;
  round_off_amount: number;
  line_items: LineItem[];
  discounts: Discount[];
  taxes: Tax[];
  line_item_taxes: LineItemTax[];
  line_item_discounts: LineItemDiscount[];
  object: 'invoice_estimate';
}

export interface InvoiceOptions {
  readonly currency: string;
  readonly date: number;
  readonly recurring: boolean;
  readonly coupons?: readonly Coupon[] | undefined;
  readonly taxProfile?: TaxProfile | undefined;
  readonly address?: Address | undefined;
  readonly taxExempt?: boolean | undefined;
  /** Credits available to reduce the amount due (prorated credits from a change, promotional credits). */
  readonly credits?: number | undefined;
  readonly idPrefix?: string | undefined;
}

/**
 * Builds an invoice from charges: coupons per line (never below zero), then tax per line on what is left,
 * then the totals as sums of rounded lines. The widget's summary and the server's invoice both come from here.
 */
export function buildInvoice(charges: readonly Charge[], o: InvoiceOptions): InvoiceEstimate {
  const prefix = o.idPrefix ?? 'li';
  const lines: DiscountableLine[] = charges.map((c) => ({
    entity_type: c.entity_type,
    entity_id: c.entity_id,
    remaining: c.priced.amount,
  }));
  const applied = applyCoupons(o.coupons ?? [], lines);
  const rate = o.taxExempt ? undefined : taxRateFor(o.taxProfile, o.address);
  const lineItemDiscounts: LineItemDiscount[] = [];
  const lineItemTaxes: LineItemTax[] = [];

  // Set exactly when `rate` is.
  const rateFraction = rate && percentFraction(rate.rate);
  const lineItems: LineItem[] = charges.map((c, i) => {
    const id = `${prefix}_${String(i + 1)}`;
    let discount = 0;
    let itemLevel = 0;
    for (const a of applied) {
      const d = a.perLine[i] ?? 0;
      if (d === 0) continue;
      discount += d;
      const type = a.coupon.apply_on === 'each_specified_item' ? 'item_level_coupon' : 'document_level_coupon';
      if (type === 'item_level_coupon') itemLevel += d;
      lineItemDiscounts.push({ line_item_id: id, discount_type: type, coupon_id: a.coupon.id, discount_amount: d, object: 'line_item_discount' });
    }
    const p = c.priced;
    const taxableAmount = p.amount - discount;
    const line: LineItem = {
      id,
      date_from: c.date_from,
      date_to: c.date_to,
      unit_amount: p.unit_amount,
      quantity: p.quantity,
      amount: p.amount,
      pricing_model: c.pricing_model,
      is_taxable: false,
      tax_amount: 0,
      discount_amount: discount,
      item_level_discount_amount: itemLevel,
      description: c.description,
      entity_type: c.entity_type,
      object: 'line_item',
    };
    if (c.taxable && rateFraction) {
      const tax = mulDivRound(taxableAmount, rateFraction.num, rateFraction.den);
      line.is_taxable = true;
      line.tax_amount = tax;
      line.tax_rate = rateFraction.text;
      lineItemTaxes.push({ line_item_id: id, tax_name: rate!.name, tax_rate: rateFraction.text, tax_amount: tax, taxable_amount: taxableAmount, object: 'line_item_tax' });
    }
    // Optional fields only when present, as in Chargebee's payloads.
    if (c.entity_id !== undefined) line.entity_id = c.entity_id;
    if (p.quantity_in_decimal !== undefined) line.quantity_in_decimal = p.quantity_in_decimal;
    if (p.unit_amount_in_decimal !== undefined) line.unit_amount_in_decimal = p.unit_amount_in_decimal;
    if (p.amount_in_decimal !== undefined) line.amount_in_decimal = p.amount_in_decimal;
    if (p.tiers) line.tiers = p.tiers;
    return line;
  });

  const discounts: Discount[] = applied
    .filter((a) => a.total > 0)
    .map((a) => ({
      amount: a.total,
      description: a.coupon.invoice_name ?? a.coupon.name,
      entity_type: a.coupon.apply_on === 'each_specified_item' ? ('item_level_coupon' as const) : ('document_level_coupon' as const),
      entity_id: a.coupon.id,
      object: 'discount' as const,
    }));
  const subTotal = sum(lineItems.map((l) => l.amount), 'sub_total');
  const discountTotal = sum(lineItems.map((l) => l.discount_amount), 'discounts');
  const tax = sum(lineItems.map((l) => l.tax_amount), 'tax');
  // One rate per invoice, so one tax entry: the sum of the taxed lines' tax.
  const taxes: Tax[] = lineItemTaxes.length ? [{ name: rate!.name, amount: tax, description: rate!.name, object: 'tax' }] : [];
  const total = sum([subTotal, -discountTotal, tax], 'total');
  const creditsApplied = Math.min(Math.max(0, o.credits ?? 0), total);
  return {
    recurring: o.recurring,
    date: o.date,
    price_type: 'tax_exclusive',
    currency_code: o.currency,
    sub_total: subTotal,
    discount_total: discountTotal,
    tax,
    total,
    credits_applied: creditsApplied,
    amount_paid: 0,
    amount_due: total - creditsApplied,
    round_off_amount: 0,
    line_items: lineItems,
    discounts,
    taxes,
    line_item_taxes: lineItemTaxes,
    line_item_discounts: lineItemDiscounts,
    object: 'invoice_estimate',
  };
}
