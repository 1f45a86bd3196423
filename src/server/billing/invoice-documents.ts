import { createHmac } from 'node:crypto';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { notFound } from '../errors.js';
import { readBranding } from '../site.js';
import { safeEqual } from '../tokens.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import type { StoredHostedPage } from './records.js';

/** How long an invoice's download link works (Chargebee's are short-lived too). */
export const DOWNLOAD_TTL = 15 * 60;

/** Chargebee's `download` resource: where to fetch the document, until when, and what it is. */
export interface Download {
  download_url: string;
  valid_till: number;
  mime_type: 'application/pdf';
  object: 'download';
}

/**
 * Invoices as documents (POST /invoices/{id}/pdf, the portal's Download): a link that works for DOWNLOAD_TTL, signed
 * with a key only this site's backend derives (HMAC-SHA256 from its secret key), so it cannot be guessed or altered
 * and works on every instance; nothing is stored. The PDF is made when the link is opened, from the invoice as it
 * stands.
 */
export class InvoiceDocuments {
  constructor(private readonly d: Deps) {}

  private signature(invoiceId: string, validTill: number): string {
    return createHmac('sha256', `paylit-download:${this.d.site.api_key}`).update(`${this.d.site.id}\n${invoiceId}\n${String(validTill)}`).digest('base64url');
  }

  /** `disposition`: Chargebee's disposition_type, how the browser is told to take the file (saved, or shown). */
  link(invoice: Invoice, baseUrl: string, disposition: 'attachment' | 'inline' = 'attachment'): Download {
    const valid_till = this.d.clock.now() + DOWNLOAD_TTL;
    const q = new URLSearchParams({ valid_till: String(valid_till), signature: this.signature(invoice.id, valid_till), ...(disposition === 'inline' && { disposition }) });
    return { download_url: `${baseUrl}/downloads/invoices/${encodeURIComponent(invoice.id)}.pdf?${q.toString()}`, valid_till, mime_type: 'application/pdf', object: 'download' };
  }

  /**
   * The receipt of a checkout, for its customer on the success screen (the page's token, not the secret key): the
   * invoice the page's payment made, while the page is paid. A page with no invoice (a trial) or not paid: a 404.
   */
  async ofPage(db: Db, page: StoredHostedPage, baseUrl: string): Promise<Download> {
    const id = (page.page.content as { invoice?: { id?: unknown } } | undefined)?.invoice?.id;
    const paid = page.page.state === 'succeeded' || page.page.state === 'acknowledged';
    const invoice = paid && typeof id === 'string' ? await this.d.stores.invoices.get(db, id) : undefined;
    if (!invoice) throw notFound('invoice', 'of this checkout');
    return this.link(invoice, baseUrl);
  }

  /** The PDF a link names, if the link is genuine and still valid (a 404 otherwise: nothing to learn from it). */
  async open(db: Db, invoiceId: string, validTill: number, signature: string): Promise<{ invoice: Invoice; pdf: Uint8Array }> {
    if (!Number.isSafeInteger(validTill) || validTill < this.d.clock.now() || !safeEqual(signature, this.signature(invoiceId, validTill))) {
      throw notFound('download', 'link (it has expired or is not valid)');
    }
    const invoice = await this.d.stores.invoices.get(db, invoiceId);
    if (!invoice) throw notFound('invoice', invoiceId);
    const [branding, customer] = await Promise.all([readBranding(db, this.d.site.id), this.d.stores.customers.get(db, invoice.customer_id)]);
    return { invoice, pdf: await renderInvoicePdf(invoice, { siteName: branding.display_name, customer }) };
  }
}
