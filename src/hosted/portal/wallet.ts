import { AdapterError } from '../../adapter/errors.js';
import { cardList, cardResult, downloadResult, invoiceList, invoiceResult, type PortalCard } from '../../adapter/portal-schemas.js';
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
    const label = p.card ? `${p.card.brand} •••• ${p.card.last4}` : p.id;
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

/** The bank's 3-D Secure challenge (the test gateway's): Complete or Fail; Escape or Cancel fail it. */
function challenge(): Promise<'complete' | 'fail'> {
  return new Promise((resolve) => {
    const d = el('dialog', { class: 'challenge' });
    d.setAttribute('aria-labelledby', 'challenge-title');
    const answer = (o: 'complete' | 'fail') => () => (d.close(), d.remove(), resolve(o));
    d.addEventListener('cancel', (ev) => (ev.preventDefault(), answer('fail')()));
    d.append(
      el('h2', { id: 'challenge-title', textContent: 'Confirm with your bank' }),
      el('p', { textContent: 'Your bank asks you to confirm this card. (Test mode: choose the outcome.)' }),
      el('div', { class: 'actions' }, button('Complete', answer('complete'), 'primary'), button('Fail', answer('fail')), button('Cancel', answer('fail'), 'link')),
    );
    document.body.append(d);
    d.showModal();
  });
}

/** ADD_PAYMENT_SOURCE: the card frame (the number is typed only on the backend's origin), 3-D Secure, save. */
export async function addPaymentMethod(c: Ctx): Promise<HTMLElement[]> {
  const frame = c.api.portalPaymentMethod();
  if (!frame) throw new AdapterError('The card form is not available.', 0, 'configuration');
  const primary = el('input', { type: 'checkbox', id: 'make-primary', checked: true });
  const m = messages();
  const save = button('Save card', () =>
    void once(save, m, 'Saving your card…', async () => {
      const card = await frame.tokenize();
      if (card.authentication === 'required') {
        const outcome = await challenge();
        await frame.authenticate(card.id, outcome);
        if (outcome !== 'complete') throw new AdapterError('The card could not be confirmed with your bank. Try again or use another card.', 402, 'authentication_failed');
      }
      await c.api.portalRequest('payment_sources', cardResult, { card_token: card.id, primary: primary.checked });
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
  const table = el('table', { class: 'invoices' });
  const head = table.createTHead().insertRow();
  for (const h of ['Invoice', 'Date', 'Status', 'Total', '']) head.append(el('th', { scope: 'col', textContent: h }));
  const body = table.createTBody();
  for (const i of list) {
    const tr = body.insertRow();
    tr.insertCell().textContent = i.id;
    tr.insertCell().textContent = c.date(i.date);
    tr.insertCell().append(badge(i.status));
    tr.insertCell().textContent = c.money(i.total, i.currency_code);
    const cell = tr.insertCell();
    cell.className = 'row-actions';
    if (i.payable) {
      const pay = button(`Pay ${c.money(i.amount_due, i.currency_code)}`, () =>
        void once(pay, m, 'Paying…', async () => {
          await c.api.portalRequest(`invoices/${i.id}/collect`, invoiceResult, {});
          m.ok(`Invoice ${i.id} is paid.`);
          c.go('portal_billing_history');
        }),
        'primary',
      );
      pay.setAttribute('aria-label', `Pay ${c.money(i.amount_due, i.currency_code)} for invoice ${i.id}`);
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
  return [el('div', { class: 'scroll' }, table), ...m.nodes];
}
