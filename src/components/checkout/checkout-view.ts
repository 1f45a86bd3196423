import { type CSSResult, html, nothing, type ReactiveElement, type TemplateResult } from 'lit';
import type { ServerEstimate } from '../../adapter/adapter.js';
import { applicableAddons } from '../../core/applicability.js';
import type { InvoiceEstimate } from '../../core/invoice-builder.js';
import { customerName } from '../../core/schemas/common.js';
import type { PaylitAddonPicker } from '../addon-picker/addon-picker.js';
// The view renders the addon picker: registered here too, for the hosted checkout, which registers the checkout
// element alone so that its page's script stays small (src/hosted/checkout.ts).
import '../addon-picker/define.js';
import type { PaylitAddress } from '../address/address.js';
import { planPrice } from '../internal/format.js';
import { addEnglish } from '../internal/localize.js';
import { checkoutEnglish } from '../internal/locales/en-checkout.js';
import { viewStyles } from './checkout-view.styles.js';

import { CheckoutController } from './checkout-controller.js';

// The view's strings and the controller's (which loads with it) arrive with this chunk.
addEnglish(checkoutEnglish);

/**
 * The checkout's templates: they only render the controller's state and call back into it. A chunk of their own,
 * loaded with the hosted page (the checkout has nothing else to show before the page arrives).
 */
export function renderCheckout(c: CheckoutController): TemplateResult {
  const l = c.host.l10n;
  const busy = c.status !== 'ready';
  let body: TemplateResult;
  if (c.status === 'done') body = receipt(c);
  else if (c.status === 'ended') {
    // Paid, now or before (the page opened again, as Stripe's does: nothing went wrong): the success screen's tick.
    // Any other end (expired, not found) is no mistake of the customer's either: said plainly, marked, not in red.
    const paid = c.endedBy === 'hosted_page_completed';
    body = html`<div class="panel ${paid ? 'done' : 'ended'}" part="status" role=${paid ? 'status' : 'alert'}>
      <span class="tick" aria-hidden="true">${paid ? '✓' : '!'}</span>
      <p part=${paid ? nothing : 'error'}>${c.errors.form}</p>
      ${paid ? html`<p class="muted">${l.t('paidNote')}</p>` : nothing}
    </div>`;
  } else {
    body = html`<div class="layout">
        ${summary(c)}
        <form class="main" novalidate aria-label=${l.t('payTo', { name: c.merchant })} @submit=${(e: Event) => (e.preventDefault(), void c.pay())}>
          ${c.existing ? nothing : contact(c)}
          ${c.existing ? nothing : address(c)}
          ${payment(c)}
          <p class="error" part="error">${c.errors.form ?? ''}</p>
          <button type="submit" class="button primary pay" part="pay-button" aria-disabled=${busy ? 'true' : 'false'} aria-describedby="payment-error">
            ${busy && c.status !== 'saving' ? html`<span class="spinner" aria-hidden="true"></span>${l.t('paying')}` : c.amountDue > 0 ? l.t('pay', { amount: c.money(c.amountDue) }) : l.t(c.free ? 'subscribe' : 'payNow')}
          </button>
        </form>
      </div>
      ${challenge(c)}`;
  }
  return html`<div part="base" class="checkout" dir=${l.dir} lang=${l.locale} aria-busy=${busy && c.status !== 'ended' ? 'true' : 'false'}>
    ${header(c)} ${body}
    <div class="visually-hidden" role="status" aria-live="polite">${c.announcement}</div>
    <div class="visually-hidden" role="alert">${c.alertText}</div>
  </div>`;
}

/** A line as the summary and the success screen list it: its description, with its quantity when more than one. */
const described = (l: CheckoutController['host']['l10n'], li: { description: string; quantity?: number | undefined }) =>
  `${li.description}${li.quantity! > 1 ? ` × ${l.number(li.quantity!)}` : ''}`;

/**
 * The success screen, as the server answered the payment: what was charged (the invoice's amount paid) to whom, for
 * what (its lines), the email it is billed to, the invoice to download (no email is promised: the backend sends
 * none), and, in the modal, the way back to the shop. Its heading takes the focus (the controller moves it there).
 */
function receipt(c: CheckoutController) {
  const l = c.host.l10n;
  const inv = c.paid?.invoice;
  const charged = inv ? inv.amount_paid : c.amountDue;
  const money = (n: number) => (inv ? l.money(n, inv.currency_code) : c.money(n));
  const email = c.paid?.customer?.email ?? (c.view.customer.email || c.cart.email.trim());
  const lines = inv?.line_items ?? (c.plan ? [{ description: c.plan.invoice_name ?? c.plan.name, amount: 0 }] : []);
  return html`<div class="panel done paid" part="status">
    <span class="tick" aria-hidden="true">✓</span>
    <h2 tabindex="-1">${l.t(charged > 0 ? 'success' : 'successTrial')}</h2>
    ${charged > 0 ? html`<p class="amount">${l.t('paidTo', { amount: money(charged), name: c.merchant })}</p>` : nothing}
    <ul class="lines" aria-label=${l.t('summary')}>
      ${lines.map((li) => html`<li><span>${described(l, li)}</span><span>${money(li.amount)}</span></li>`)}
    </ul>
    <dl class="totals">
      ${email ? html`<div><dt>${l.t('email')}</dt><dd>${email}</dd></div>` : nothing}
      ${inv && c.canDownload
        ? html`<div><dt>${l.t('invoice')}</dt><dd>${inv.id} · <button type="button" class="link" part="invoice-button" @click=${() => void c.downloadInvoice()}>${l.t('downloadInvoice')}</button></dd></div>`
        : nothing}
    </dl>
    <p class="error" part="error">${c.errors.form ?? ''}</p>
    ${c.host.closable ? html`<button type="button" class="button primary pay" part="return-button" @click=${() => c.close()}>${l.t('returnTo', { name: c.merchant || l.t('shop') })}</button>` : nothing}
  </div>`;
}

/** Whom the customer pays. */
function header(c: CheckoutController) {
  const site = c.view.site;
  if (!site) return nothing;
  return html`<header class="merchant" part="header">
    ${site.logo_url ? html`<img class="logo" src=${site.logo_url} alt="" />` : html`<span class="mark" aria-hidden="true">${site.display_name.charAt(0)}</span>`}
    <span class="name">${site.display_name}</span>
    ${c.view.test_mode ? html`<span class="test" part="test-mode">${c.host.l10n.t('testMode')}</span>` : nothing}
  </header>`;
}

function summary(c: CheckoutController) {
  const l = c.host.l10n;
  const v = c.view;
  const est = c.estimate;
  const plan = c.plan;
  const ok = est && !('error' in est) ? est : undefined;
  const next = ok?.next_invoice_estimate;
  const nextDate = (next as InvoiceEstimate | undefined)?.date;
  const trialEnd = ok && !ok.invoice_estimate && nextDate;
  // The picker shows the addons it edits (chosen and mandatory); the estimate's other lines (the plan, a setup
  // fee, event-based charges) are listed as they are.
  const shown = new Set(c.cart.addons.map((a) => a.id));
  if (plan) for (const o of applicableAddons(plan, v.catalog.addons).offered) if (o.kind === 'mandatory') shown.add(o.addon.id);
  const inv = ok?.invoice_estimate as InvoiceEstimate | ServerEstimate['invoice_estimate'];
  const lines = (inv?.line_items ?? []).filter((li) => !(c.existing || ((li as { entity_type?: string }).entity_type === 'addon' && shown.has((li as { entity_id?: string }).entity_id ?? ''))));
  const i = inv as InvoiceEstimate | undefined;
  const open = c.summaryOpen;
  // On a narrow checkout (a phone) all but the toggle and its total fold away, as Stripe Checkout's summary does; the
  // toggle says what it will do. Wide, the toggle is hidden and everything shows.
  return html`<aside class="summary" part="summary" aria-labelledby="summary-title">
    <h2 id="summary-title" class="title">${l.t('summary')}</h2>
    <button type="button" class="toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls="summary-details" @click=${() => c.toggleSummary()}>
      <span>${l.t(open ? 'hideSummary' : 'showSummary')} <span aria-hidden="true">${open ? '▴' : '▾'}</span></span>
      ${ok ? html`<strong>${c.money(ok.amount_due_now)}</strong>` : nothing}
    </button>
    ${'error' in (est ?? {}) ? html`<p class="error" part="error">${(est as { error: string }).error}</p>` : nothing}
    <div id="summary-details" class=${`details ${open ? 'open' : ''}`}>
      <ul class="lines">
        ${lines.map((li) => html`<li><span>${described(l, li)}
          ${(li as { entity_type?: string }).entity_type === 'plan' && plan && li.amount > 0 ? html`<span class="muted sub">${planPrice(l, plan)}</span>` : nothing}</span>
          <span>${c.money(li.amount)}</span></li>`)}
      </ul>
      ${plan && !c.existing
        ? html`<paylit-addon-picker .plans=${[plan]} .addons=${v.catalog.addons} plan-id=${plan.id} .value=${c.cart.addons} .message=${c.errors.addons ?? ''}
            locale=${l.locale} theme=${c.host.theme ?? nothing} ?disabled=${c.busy}
            @change=${(e: Event) => c.setAddons((e.target as PaylitAddonPicker).value)}></paylit-addon-picker>`
        : nothing}
      ${i && ((i.discounts ?? []).length || (i.taxes ?? []).length)
        ? html`<dl class="totals">
            ${(i.discounts ?? []).map((d) => html`<div><dt>${l.t('discount')}: ${d.description}</dt><dd>−${c.money(d.amount)}</dd></div>`)}
            ${(i.taxes ?? []).map((t) => html`<div><dt>${l.t('tax', { name: t.description ?? t.name })}</dt><dd>${c.money(t.amount)}</dd></div>`)}
          </dl>`
        : nothing}
      ${coupon(c)}
      ${ok ? html`<p class="due" part="total" aria-live="polite" aria-atomic="true"><span>${l.t('dueToday')}</span><strong>${c.money(ok.amount_due_now)}</strong></p>` : nothing}
    </div>
    ${trialEnd ? html`<p class="muted note">${l.t('trialUntil', { date: l.date(trialEnd) })}</p>` : nothing}
    ${next && nextDate && next.total > 0 ? html`<p class="muted note">${l.t('nextInvoice', { amount: c.money(next.total), date: l.date(nextDate) })}</p>` : nothing}
  </aside>`;
}

function coupon(c: CheckoutController) {
  const l = c.host.l10n;
  return html`<form class="coupon" part="coupon" novalidate @submit=${(e: Event) => (e.preventDefault(), void c.applyCoupon())}>
    <label for="coupon">${l.t('coupon')}</label>
    <div class="row">
      <input id="coupon" autocomplete="off" .value=${c.couponDraft} aria-invalid=${c.errors.coupon ? 'true' : 'false'} aria-describedby="coupon-error"
        @input=${(e: Event) => (c.couponDraft = (e.target as HTMLInputElement).value)} />
      <button type="submit" class="button" aria-disabled=${c.status !== 'ready' ? 'true' : 'false'}>${l.t('apply')}</button>
    </div>
    <p class="error" id="coupon-error" part="error">${c.errors.coupon ?? ''}</p>
    ${c.cart.couponIds.length
      ? html`<ul class="coupons">${c.cart.couponIds.map((id) => html`<li>${c.view.coupons.find((x) => x.id === id)?.name ?? id}
          <button type="button" class="link" aria-label=${l.t('removeCoupon', { code: id })} @click=${() => c.removeCoupon(id)}>✕</button></li>`)}</ul>`
      : nothing}
  </form>`;
}

function contact(c: CheckoutController) {
  if (c.rules.emailKnown) return nothing;
  const l = c.host.l10n;
  return html`<section aria-labelledby="h-contact">
    <h2 id="h-contact">${l.t('contact')}</h2>
    <div class="field email">
      <label for="email">${l.t('email')}<span aria-hidden="true"> *</span></label>
      <input id="email" type="email" autocomplete="email" required .value=${c.cart.email} aria-invalid=${c.errors.email ? 'true' : 'false'}
        aria-describedby="email-error" @input=${(e: Event) => c.setEmail((e.target as HTMLInputElement).value)} />
      <p class="error" id="email-error" part="error">${c.errors.email ?? ''}</p>
    </div>
  </section>`;
}

function address(c: CheckoutController) {
  const l = c.host.l10n;
  const a = c.cart.address;
  return html`<section aria-labelledby="h-address">
    <h2 id="h-address">${l.t('billingAddress')}</h2>
    ${c.rules.addressLocked
      ? html`<p class="muted">${[a.line1, a.city, a.zip, a.country].filter(Boolean).join(', ')}</p>`
      : html`<paylit-address without-legend without-company .value=${a} .serverErrors=${c.addressErrors} locale=${l.locale} theme=${c.host.theme ?? nothing}
          @change=${(e: Event) => c.setAddress((e.target as PaylitAddress).value)}></paylit-address>`}
  </section>`;
}

function payment(c: CheckoutController) {
  const l = c.host.l10n;
  const free = c.free;
  return html`<section aria-labelledby="h-payment">
    <h2 id="h-payment">${l.t('payment')}</h2>
    ${free ? html`<p class="muted">${l.t('noPaymentNeeded')}</p>` : nothing}
    <div class="card" ?hidden=${free} role="group" aria-label=${l.t('cardDetails')} aria-describedby="payment-error">
      ${c.payment ? c.payment.element : html`<p class="muted">${l.t('paymentNotSetUp')}</p>`}
    </div>
    <p class="error" id="payment-error" part="error">${c.errors.payment ?? ''}</p>
  </section>`;
}

/**
 * The bank's 3-D Secure challenge, over the checkout: a modal dialog that Escape or Cancel leave (a failed challenge).
 * The dialog itself is the dimmed layer over the whole frame (Chromium paints a ::backdrop over a frame's first
 * screenful only, so on a phone, the frame scrolled, the dim stopped short), its box in the part of the frame on screen.
 */
function challenge(c: CheckoutController) {
  const l = c.host.l10n;
  const leave = () => c.answerChallenge('fail');
  return html`<dialog class="challenge" part="challenge" aria-labelledby="challenge-title" aria-describedby="challenge-text"
    @keydown=${(e: KeyboardEvent) => {
      // Escape leaves the challenge only (not the whole checkout); Tab stays inside.
      if (e.key === 'Escape') return void (e.preventDefault(), e.stopPropagation(), leave());
      if (e.key !== 'Tab') return;
      const items = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('button')];
      const at = items.indexOf(c.host.renderRoot.querySelector(':focus') as HTMLElement);
      if (e.shiftKey ? at <= 0 : at === items.length - 1) {
        e.preventDefault();
        items.at(e.shiftKey ? -1 : 0)?.focus();
      }
    }}
    @cancel=${(e: Event) => (e.preventDefault(), leave())}>
    <div class="box">
      <h2 id="challenge-title">${l.t('challengeTitle')}</h2>
      <p id="challenge-text">${l.t('challengeText', { amount: c.money(c.amountDue), name: c.merchant })}</p>
      <p class="muted">${l.t('challengeTest')}</p>
      <div class="actions">
        <button type="button" class="button primary" data-first @click=${() => c.answerChallenge('complete')}>${l.t('complete')}</button>
        <button type="button" class="button" @click=${() => c.answerChallenge('fail')}>${l.t('fail')}</button>
        <button type="button" class="button link" @click=${leave}>${l.t('cancel')}</button>
      </div>
    </div>
  </dialog>`;
}

/**
 * What the first render will need, made while the page's data is on its way, when the frame has nothing else to do:
 * the stylesheets of the view and of the elements it holds, each parsed (`replaceSync`) when an element first adopts
 * it, which was in that render, after the data.
 */
function prepare(): void {
  void viewStyles.styleSheet;
  for (const tag of ['paylit-addon-picker', 'paylit-address']) {
    for (const s of (customElements.get(tag) as typeof ReactiveElement | undefined)?.elementStyles ?? []) void (s as CSSResult).styleSheet;
  }
}

/** What `<paylit-checkout>` takes from this chunk (checkout.ts), as one object, whether imported or loaded. */
export const checkoutView = { renderCheckout, CheckoutController, viewStyles, prepare };
