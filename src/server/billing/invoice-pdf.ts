import PDFDocument from 'pdfkit';
import { formatMoney } from '../../core/money.js';
import type { Address, Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';

/** Who issues the invoice and to whom: the site's name as customers read it, the customer as billed. */
export interface InvoiceParties {
  readonly siteName: string;
  readonly customer: Pick<Customer, 'id' | 'email' | 'first_name' | 'last_name' | 'company'> | undefined;
}

const STATUS: Record<Invoice['status'], string> = {
  paid: 'Paid',
  posted: 'Posted',
  payment_due: 'Payment due',
  not_paid: 'Not paid',
  voided: 'Voided',
  pending: 'Pending',
};

const date = (t: number) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(t * 1000);

function addressLines(a: Address | undefined, customer: InvoiceParties['customer']): string[] {
  const name = [a?.first_name ?? customer?.first_name, a?.last_name ?? customer?.last_name].filter(Boolean).join(' ');
  const cityLine = [a?.zip, a?.city].filter(Boolean).join(' ');
  const region = [a?.state ?? a?.state_code, a?.country].filter(Boolean).join(', ');
  return [name, a?.company ?? customer?.company, a?.line1, a?.line2, a?.line3, cityLine, region, a?.email ?? customer?.email].filter((x): x is string => !!x);
}

/**
 * The invoice as a PDF (pdfkit, its standard Helvetica: Latin text; no font files to ship): the site's name, the
 * invoice's number, dates and status, the customer's billing address, each line with its period, quantity and
 * amount, discounts, each tax, and the totals. Every amount is the invoice's own, in minor units, formatted once.
 */
export function renderInvoicePdf(invoice: Invoice, parties: InvoiceParties): Promise<Uint8Array> {
  const money = (n: number) => formatMoney(n, invoice.currency_code, 'en');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `Invoice ${invoice.id}`, Author: parties.siteName, Subject: `Invoice ${invoice.id} from ${parties.siteName}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const muted = '#57606a';

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#1f2328').text(parties.siteName, left, 56, { width: width * 0.6 });
  doc.font('Helvetica').fontSize(10).fillColor(muted).text('INVOICE', left, 60, { width, align: 'right' });
  doc.font('Helvetica-Bold').fontSize(14).fillColor('#1f2328').text(`# ${invoice.id}`, left, 74, { width, align: 'right' });
  doc.font('Helvetica').fontSize(10).fillColor(muted);
  doc.text(`Date: ${date(invoice.date)}`, left, 94, { width, align: 'right' });
  if (invoice.due_date !== undefined) doc.text(`Due: ${date(invoice.due_date)}`, { width, align: 'right' });
  doc.text(`Status: ${STATUS[invoice.status]}`, { width, align: 'right' });

  doc.font('Helvetica-Bold').fontSize(10).fillColor(muted).text('BILLED TO', left, 150);
  doc.font('Helvetica').fontSize(11).fillColor('#1f2328');
  const to = addressLines(invoice.billing_address, parties.customer);
  for (const line of to.length ? to : [parties.customer?.id ?? invoice.customer_id]) doc.text(line, { width: width / 2 });

  // The lines: description (and period), quantity, unit price, amount.
  const cols = { desc: left, qty: left + width * 0.55, unit: left + width * 0.65, amount: left + width * 0.82 };
  let y = Math.max(doc.y + 24, 260);
  const row = (cells: [string, string, string, string], bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10).fillColor('#1f2328');
    const h = doc.heightOfString(cells[0], { width: width * 0.52 });
    doc.text(cells[0], cols.desc, y, { width: width * 0.52 });
    doc.text(cells[1], cols.qty, y, { width: width * 0.1, align: 'right' });
    doc.text(cells[2], cols.unit, y, { width: width * 0.16, align: 'right' });
    doc.text(cells[3], cols.amount, y, { width: width * 0.18, align: 'right' });
    y += Math.max(h, 12) + 8;
  };
  row(['Description', 'Qty', 'Unit price', 'Amount'], true);
  doc.moveTo(left, y - 4).lineTo(left + width, y - 4).strokeColor('#d0d7de').stroke();
  for (const l of invoice.line_items) {
    const period = l.date_to > l.date_from ? `\n${date(l.date_from)} – ${date(l.date_to)}` : '';
    row([`${l.description}${period}`, l.quantity_in_decimal ?? String(l.quantity), money(l.unit_amount), money(l.amount)]);
  }
  doc.moveTo(left, y - 4).lineTo(left + width, y - 4).strokeColor('#d0d7de').stroke();

  // The totals, right-aligned under the amounts.
  const total = (label: string, value: string, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 12 : 10).fillColor('#1f2328');
    doc.text(label, left, y, { width: width * 0.8, align: 'right' });
    doc.text(value, cols.amount, y, { width: width * 0.18, align: 'right' });
    y += bold ? 20 : 16;
  };
  y += 4;
  total('Subtotal', money(invoice.sub_total));
  for (const dsc of invoice.discounts) total(dsc.description, `-${money(dsc.amount)}`);
  for (const t of invoice.taxes) total(t.description ?? t.name, money(t.amount));
  if (!invoice.taxes.length && invoice.tax > 0) total('Tax', money(invoice.tax));
  total('Total', money(invoice.total), true);
  if (invoice.credits_applied > 0) total('Credits applied', `-${money(invoice.credits_applied)}`);
  total('Amount paid', money(invoice.amount_paid));
  total('Amount due', money(invoice.amount_due), true);

  doc.font('Helvetica').fontSize(9).fillColor(muted).text(`Amounts in ${invoice.currency_code}. Customer ${invoice.customer_id}.`, left, y + 16, { width });
  doc.end();
  return done;
}
