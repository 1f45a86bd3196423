import { cardList, cardResult, downloadResult, invoiceList, invoiceResult, type PortalCard } from '../../adapter/portal-schemas.js';
import { cardLabel, newCardToken, payWith } from './pay-with.js';
import { badge, button, type Ctx, el, messages, once } from './ui.js';

/**
 * PAYMENT_SOURCES and ADD_PAYMENT_SOURCE (cards: add through the card frame with 3-D Secure where the card asks,
 * make one primary, remove one), and BILLING_HISTORY (pay a due invoice, download a PDF).
 */

const expiry = (p: PortalCard) => (p.card ? `${String(p.card.expiry_month).padStart(2, '0')}/${String(p.card.expiry_year).slice(-2)}` : '—');

export async function paymentMethods(c: Ctx): Promise<HTMLElement[]> {
  const { list } = await c.api.portalRequest('payment_sources', cardList);
  const m = messages();
  const ul = el('ul', { class: 'cards' });
  for (const p of list) {
    const label = cardLabel(p);
    const actions = el('div', { class: 'actions' });
    if (!p.primary) {
      const primary = button('Make primary', () =>
        void once(primary, m, 'Saving…', async () => {
          await c.api.portalRequest(`payment_sources/${p.id}/make_primary`, cardResult, {});
          c.done('paymentSourceUpdate');
          c.go('portal_payment_methods');
        }),
      );
      primary.setAttribute('aria-label', `Make primary: ${label}`);
      actions.append(primary);
    }
    const remove = button('Remove', () =>
      void once(remove, m, 'Removing…', async () => {
        await c.api.portalRequest(`payment_sources/${p.id}/delete`, cardResult, {});
        c.done('paymentSourceRemove');
        c.go('portal_payment_methods');
      }),
      'link',
    );
    remove.setAttribute('aria-label', `Remove ${label}`);
    actions.append(remove);
    ul.append(el('li', { class: 'card' }, el('div', { class: 'row' }, el('strong', { textContent: label }), p.primary && el('span', { class: 'badge active', textContent: 'Primary' })), el('p', { class: 'muted', textContent: `Expires ${expiry(p)}` }), actions));
  }
  return [list.length ? ul : el('p', { textContent: 'No cards saved.' }), el('div', { class: 'actions' }, button('Add a card', () => c.go('portal_add_payment_method'), 'primary')), ...m.nodes];
}

/** ADD_PAYMENT_SOURCE: the card frame (the number is typed only on the backend's origin), 3-D Secure, save. */
export async function addPaymentMethod(c: Ctx): Promise<HTMLElement[]> {
  const frame = c.api.portalPaymentMethod()!; // the portal always has its key
  const primary = el('input', { type: 'checkbox', id: 'make-primary', checked: true });
  const m = messages();
  const save = button('Save card', () =>
    void once(save, m, 'Saving your card…', async () => {
      const token = await newCardToken(frame, c.e);
      await c.api.portalRequest('payment_sources', cardResult, { card_token: token.id, primary: primary.checked });
      c.done('paymentSourceAdd');
      c.go('portal_payment_methods');
    }),
    'primary',
  );
  const wrap = el('div', { class: 'card-frame' });
  wrap.append(frame.element);
  return [wrap, el('label', { class: 'check', htmlFor: primary.id }, primary, ' Use as my primary card'), el('div', { class: 'actions' }, save, button('Back', () => c.go('portal_payment_methods'))), ...m.nodes];
}

/** BILLING_HISTORY: each invoice with its status and total; Pay for a due one; a PDF of each. */
export async function billingHistory(c: Ctx): Promise<HTMLElement[]> {
  const { list } = await c.api.portalRequest('invoices', invoiceList);
  if (!list.length) return [el('p', { textContent: 'No invoices yet.' })];
  const m = messages();
  // Paying a due invoice: a panel under the table with the card to pay with (the one on file, or a new one).
  const panel = el('div', { class: 'card pay' }); // hidden while empty
  let open = '';
  const paying = async (id: string, amount: string) => {
    const pw = await payWith(c);
    if (open === id) return; // a second click while the first was loading
    open = id;
    const pm = messages();
    const h = el('h2', { tabIndex: -1, textContent: `Pay invoice ${id}` });
    const confirm = button(`Pay ${amount}`, () =>
      void once(confirm, pm, 'Paying…', async () => {
        await pw.pay((card) => c.api.portalRequest(`invoices/${id}/collect`, invoiceResult, card));
        c.go('portal_billing_history');
      }),
      'primary',
    );
    const close = button('Not now', () => (panel.replaceChildren(), (open = '')), 'link');
    panel.replaceChildren(h, pw.node, el('div', { class: 'actions' }, confirm, close), ...pm.nodes);
    h.focus();
  };
  const table = el('table', { class: 'invoices' });
  const head = table.createTHead().insertRow();
  for (const h of ['Invoice', 'Date', 'Status', 'Total', '']) head.append(el('th', { scope: 'col', textContent: h }));
  const body = table.createTBody();
  for (const i of list) {
    const tr = body.insertRow();
    tr.insertCell().textContent = i.id;
    tr.insertCell().textContent = c.date(i.date);
    tr.insertCell().append(badge(i.status));
    const total = tr.insertCell();
    total.textContent = c.money(i.total, i.currency_code);
    // So that the total adds up with the "Paid: $x" the customer was told: the part credits paid.
    if (i.credits_applied > 0) total.append(el('small', { class: 'muted', textContent: `${c.money(i.credits_applied, i.currency_code)} from credits` }));
    const cell = tr.insertCell();
    cell.className = 'row-actions';
    if (i.payable) {
      const amount = c.money(i.amount_due, i.currency_code);
      const pay = button(`Pay ${amount}`, () => void paying(i.id, amount).catch(m.fail), 'primary');
      pay.setAttribute('aria-label', `Pay ${amount} for invoice ${i.id}`);
      cell.append(pay);
    }
    const pdf = button('PDF', () =>
      void once(pdf, m, 'Preparing the PDF…', async () => {
        const { download } = await c.api.portalRequest(`invoices/${i.id}/pdf`, downloadResult, {});
        const a = el('a', { href: download.download_url, download: `invoice-${i.id}.pdf`, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        m.ok(`Invoice ${i.id} downloaded.`);
      }),
      'link',
    );
    pdf.setAttribute('aria-label', `Download invoice ${i.id} as PDF`);
    cell.append(pdf);
  }
  return [el('div', { class: 'scroll' }, table), panel, ...m.nodes];
}
