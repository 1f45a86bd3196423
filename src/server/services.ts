import { Catalog } from './catalog/catalog.js';
import { Usages } from './catalog/usages.js';
import { Changes } from './billing/changes.js';
import { Checkout } from './billing/checkout.js';
import { CheckoutView } from './billing/checkout-view.js';
import { Customers } from './billing/customers.js';
import { Estimates } from './billing/estimates.js';
import { Invoices } from './billing/invoices.js';
import { Lifecycle } from './billing/lifecycle.js';
import { Lookups } from './billing/lookups.js';
import { InvoiceDocuments } from './billing/invoice-documents.js';
import { Portal } from './billing/portal.js';
import { PortalAccount } from './billing/portal-account.js';
import { PortalSubscriptions } from './billing/portal-subscriptions.js';
import { Subscriptions } from './billing/subscriptions.js';
import { TimeTravel } from './billing/time-travel.js';
import type { Deps } from './context.js';
import { DueWork } from './db/due-work.js';
import { EventLog } from './events/log.js';
import { WebhookEndpoints } from './events/webhooks.js';
import { Payments } from './payments/payments.js';

/** The services of one site, made once: routes call them; each holds its rules and takes the caller's transaction. */
export interface Services {
  readonly catalog: Catalog;
  readonly customers: Customers;
  readonly lookups: Lookups;
  readonly estimates: Estimates;
  readonly invoices: Invoices;
  readonly subscriptions: Subscriptions;
  readonly changes: Changes;
  readonly lifecycle: Lifecycle;
  readonly timeTravel: TimeTravel;
  readonly payments: Payments;
  readonly checkout: Checkout;
  readonly checkoutView: CheckoutView;
  readonly portal: Portal;
  readonly portalSubscriptions: PortalSubscriptions;
  readonly portalAccount: PortalAccount;
  readonly invoiceDocuments: InvoiceDocuments;
  readonly events: EventLog;
  readonly webhookEndpoints: WebhookEndpoints;
}

export function createServices(d: Deps): Services {
  const usages = new Usages(d);
  const payments = new Payments(d);
  const lookups = new Lookups(d);
  const estimates = new Estimates(d, lookups);
  const invoices = new Invoices(d, lookups, usages, payments);
  const subscriptions = new Subscriptions(d, estimates, invoices, usages);
  const changes = new Changes(d, lookups, estimates, invoices, usages);
  const lifecycle = new Lifecycle(d, new DueWork(d.site.id), lookups, invoices, changes, payments);
  const customers = new Customers(d, subscriptions);
  const checkout = new Checkout(d, lookups, estimates, customers, subscriptions, changes, payments);
  const invoiceDocuments = new InvoiceDocuments(d);
  return {
    catalog: new Catalog(d, usages),
    customers,
    lookups,
    estimates,
    invoices,
    subscriptions,
    changes,
    lifecycle,
    timeTravel: new TimeTravel(d, lifecycle),
    payments,
    checkout,
    checkoutView: new CheckoutView(d, checkout),
    portal: new Portal(d),
    portalSubscriptions: new PortalSubscriptions(d, lookups, estimates, changes, invoices, payments),
    portalAccount: new PortalAccount(d, lookups, customers, invoices, payments, invoiceDocuments),
    invoiceDocuments,
    events: new EventLog(d),
    webhookEndpoints: new WebhookEndpoints(d),
  };
}
