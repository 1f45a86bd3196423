/**
 * Paylit's domain core: schemas, money, pricing, applicability and estimates. Pure: no DOM, no I/O, no clock.
 * The browser elements and the server import the same functions, so the summary the customer sees is the invoice
 * the server raises.
 */
export * from './money.js';
export * from './decimal.js';
export * from './errors.js';
export * from './periods.js';
export * from './pricing.js';
export * from './tax.js';
export * from './discounts.js';
export * from './applicability.js';
export * from './addon-choice.js';
export * from './credits.js';
export * from './invoice-builder.js';
export * from './estimate.js';
export * from './schemas/common.js';
export * from './schemas/plan.js';
export * from './schemas/addon.js';
export * from './schemas/coupon.js';
export * from './schemas/customer.js';
export * from './schemas/subscription.js';
export * from './schemas/invoice.js';
export * from './schemas/hosted-page.js';
export * from './schemas/event.js';
export * from './schemas/payment.js';
export * from './cart.js';
export * from './schemas/site.js';
