import { html, nothing, type TemplateResult } from 'lit';
import * as z from 'zod/mini';
import type { BackendAdapter, CheckoutChoices, HostedPageView, ServerEstimate } from '../../adapter/adapter.js';
import { applicableAddons } from '../../core/applicability.js';
import { PaylitValidationError } from '../../core/errors.js';
import { AdapterError, asAdapterError, idempotencyKey } from '../../adapter/errors.js';
import type { InvoiceEstimate } from '../../core/invoice-builder.js';
import type { PaylitAddonPicker } from '../addon-picker/addon-picker.js';
import type { PaylitAddress } from '../address/address.js';
import { type CheckoutStep, emit } from '../internal/events.js';
import { type ErrorKey, type PaylitCheckout, STEP_NAMES, type SummaryEstimate } from './checkout.js';
import { viewStyles } from './checkout-view.styles.js';

export { viewStyles };

const emailSchema = z.email();

/**
 * The checkout's templates: a chunk of their own, loaded with the hosted page (the checkout has nothing else to show
 * before the page arrives), so pages that use only the pickers or the credit balance do not carry them.
 */
export function renderCheckout(c: PaylitCheckout): TemplateResult {
  const l = c.l10n;
  const base = (content: TemplateResult) => html`<div part="base" class=${c.onePage ? 'one-page' : 'steps'} dir=${l.dir} lang=${l.locale}
    aria-busy=${c.status === 'saving' || c.status === 'paying' ? 'true' : 'false'}>
    ${content}
    <div class="visually-hidden" role="status" aria-live="polite">${c.announcement}</div>
    <div class="visually-hidden" role="alert">${c.alertText}</div>
  </div>`;
  // The element itself renders the states before a page is in (none, loading, failed).
  if (c.status === 'done') {
    return base(html`<div class="panel done" part="status" role="status" tabindex="-1">
      <span class="tick" aria-hidden="true">✓</span>
      <p>${l.t(amountDue(c) > 0 ? 'success' : 'successTrial')}</p>
    </div>`);
  }
  const shown = steps(c);
  const current = Math.min(c.stepIndex, shown.length - 1);
  const busy = c.status === 'saving' || c.status === 'paying';
  const last = c.onePage || current === shown.length - 1;
  return base(html`
    <div class="layout">
      <div class="main">
        ${c.onePage
          ? nothing
          : html`<nav aria-label=${l.t('steps')}><ol class="stepper" part="stepper">
              ${shown.map((s, i) => html`<li>
                <button type="button" class="step-link" aria-current=${i === current ? 'step' : 'false'} ?disabled=${i > current || busy}
                  @click=${() => goTo(c, i)}><span class="num" aria-hidden="true">${i + 1}</span>${l.t(STEP_NAMES[s])}</button>
              </li>`)}
            </ol></nav>`}
        <form novalidate @submit=${(e: Event) => {
          e.preventDefault();
          void (last ? pay(c) : next(c));
        }}>
          ${shown.map((s, i) => html`<section part="step" data-step=${s} ?hidden=${!c.onePage && i !== current} aria-labelledby=${`h-${s}`}>
            <h2 id=${`h-${s}`} tabindex="-1">${c.onePage ? '' : html`<span class="visually-hidden">${l.t('stepOf', { n: i + 1, total: shown.length, name: '' })}</span>`}${l.t(STEP_NAMES[s])}</h2>
            ${section(c, s)}
          </section>`)}
          <p class="error" part="error">${c.errors.form ?? ''}</p>
          <div class="actions" part="actions">
            ${!c.onePage && current > 0 ? html`<button type="button" class="button" ?disabled=${busy} @click=${() => back(c)}>${l.t('back')}</button>` : nothing}
            ${last
              ? html`<button type="submit" class="button primary" part="pay-button" aria-disabled=${busy ? 'true' : 'false'}>
                  ${c.status === 'paying' ? html`<span class="spinner" aria-hidden="true"></span>${l.t('paying')}` : amountDue(c) > 0 ? l.t('pay', { amount: money(c, amountDue(c)) }) : l.t('subscribe')}
                </button>`
              : html`<button type="submit" class="button primary" part="continue-button" aria-disabled=${busy ? 'true' : 'false'}>
                  ${c.status === 'saving' ? html`<span class="spinner" aria-hidden="true"></span>${l.t('saving')}` : l.t('continue')}
                </button>`}
          </div>
        </form>
      </div>
      ${summary(c)}
    </div>`);
}

function money(c: PaylitCheckout, minor: number): string {
  return c.l10n.money(minor, c.plan?.currency_code ?? c.view?.subscription?.currency_code ?? 'USD');
}

function section(c: PaylitCheckout, step: CheckoutStep) {
  const l = c.l10n;
  const v = c.view!;
  switch (step) {
    case 'plan':
      return html`<paylit-plan-picker .plans=${v.catalog.plans} .value=${c.planId} .currency=${c.plan?.currency_code}
          locale=${l.locale} theme=${c.theme ?? nothing} required aria-describedby="plan-error" @change=${(e: Event) => onPlanChange(c, e)}></paylit-plan-picker>
        <p class="error" id="plan-error" part="error">${c.errors.plan ?? ''}</p>`;
    case 'addons':
      return html`<paylit-addon-picker .plans=${v.catalog.plans} .addons=${v.catalog.addons} plan-id=${c.planId} .value=${c.addons}
        .message=${c.errors.addons ?? ''} locale=${l.locale} theme=${c.theme ?? nothing} @change=${(e: Event) => onAddonsChange(c, e)}></paylit-addon-picker>`;
    case 'address':
      return html`${needsEmail(c)
          ? html`<div class="field email">
              <label for="email">${l.t('email')}<span aria-hidden="true"> *</span></label>
              <input id="email" type="email" autocomplete="email" required .value=${c.email} aria-invalid=${c.errors.email ? 'true' : 'false'}
                aria-describedby="email-error" @input=${(e: Event) => {
                  c.email = (e.target as HTMLInputElement).value;
                  if (c.errors.email) setError(c, 'email', undefined);
                }} />
              <p class="error" id="email-error" part="error">${c.errors.email ?? ''}</p>
            </div>`
          : nothing}
        ${addressLocked(c)
          ? html`<p class="muted">${[c.address.line1, c.address.city, c.address.zip, c.address.country].filter(Boolean).join(', ')}</p>`
          : html`<paylit-address without-legend .value=${c.address} .serverErrors=${c.addressErrors} locale=${l.locale} theme=${c.theme ?? nothing}
              @change=${(e: Event) => {
                c.address = (e.target as PaylitAddress).value;
              }}></paylit-address>`}`;
    case 'payment':
      return html`${amountDue(c) === 0
          ? html`<p class="muted">${l.t('noPaymentNeeded')}</p>`
          : nothing}
        <div class="card" ?hidden=${amountDue(c) === 0} role="group" aria-label=${l.t('cardDetails')} aria-describedby="payment-error">
          ${c.payment ? c.payment.element : html`<p class="muted">${l.t('paymentNotSetUp')}</p>`}
        </div>
        <p class="error" id="payment-error" part="error">${c.errors.payment ?? ''}</p>`;
    case 'review':
      return html`<ul class="review">
        ${c.plan ? html`<li>${c.plan.name}</li>` : nothing}
        ${c.addons.map((a) => {
          const addon = v.catalog.addons.find((x) => x.id === a.id);
          return html`<li>${addon?.name ?? a.id} — ${l.t('quantity', { count: a.quantity })}</li>`;
        })}
        ${c.email ? html`<li>${c.email}</li>` : nothing}
      </ul>`;
  }
}

function invoiceLines(c: PaylitCheckout, inv: InvoiceEstimate | ServerEstimate['invoice_estimate']) {
  if (!inv) return nothing;
  const l = c.l10n;
  const i = inv as InvoiceEstimate;
  return html`<ul class="lines">
      ${i.line_items.map((li) => html`<li><span>${li.description}${li.quantity > 1 ? ` × ${l.number(li.quantity)}` : ''}</span><span>${money(c, li.amount)}</span></li>`)}
    </ul>
    <dl class="totals">
      ${(i.discounts ?? []).map((d) => html`<div><dt>${l.t('discount')}: ${d.description}</dt><dd>−${money(c, d.amount)}</dd></div>`)}
      ${(i.taxes ?? []).map((t) => html`<div><dt>${l.t('tax', { name: t.description ?? t.name })}</dt><dd>${money(c, t.amount)}</dd></div>`)}
      <div class="grand"><dt>${l.t('total')}</dt><dd>${money(c, i.total)}</dd></div>
    </dl>`;
}

function summary(c: PaylitCheckout) {
  const l = c.l10n;
  const est = estimate(c);
  const v = c.view!;
  const next = est && !('error' in est) ? est.next_invoice_estimate : undefined;
  const trialEnd = est && !('error' in est) && !est.invoice_estimate && next ? (next as InvoiceEstimate).date : undefined;
  return html`<aside class="summary" part="summary" aria-labelledby="summary-title">
    <h2 id="summary-title">${l.t('summary')}</h2>
    ${!est
      ? nothing
      : 'error' in est
        ? html`<p class="error" part="error">${est.error}</p>`
        : html`${invoiceLines(c, est.invoice_estimate)}
            ${trialEnd ? html`<p class="muted">${l.t('trialUntil', { date: l.date(trialEnd) })}</p>` : nothing}
            ${next && (next as InvoiceEstimate).date ? html`<p class="muted">${l.t('nextInvoice', { amount: money(c, next.total), date: l.date((next as InvoiceEstimate).date) })}</p>` : nothing}
            <p class="due" part="total" aria-live="polite" aria-atomic="true"><span>${l.t('dueToday')}</span><strong>${money(c, est.amount_due_now)}</strong></p>`}
    <form class="coupon" part="coupon" novalidate @submit=${(e: Event) => void applyCoupon(c, e)}>
      <label for="coupon">${l.t('coupon')}</label>
      <div class="row">
        <input id="coupon" autocomplete="off" .value=${c.couponDraft} aria-invalid=${c.errors.coupon ? 'true' : 'false'} aria-describedby="coupon-error"
          @input=${(e: Event) => (c.couponDraft = (e.target as HTMLInputElement).value)} />
        <button type="submit" class="button" aria-disabled=${c.status !== 'ready' ? 'true' : 'false'}>${l.t('apply')}</button>
      </div>
      <p class="error" id="coupon-error" part="error">${c.errors.coupon ?? ''}</p>
      ${c.couponIds.length
        ? html`<ul class="coupons">${c.couponIds.map((id) => html`<li>${v.coupons.find((c) => c.id === id)?.name ?? id}
            <button type="button" class="link" aria-label=${l.t('removeCoupon', { code: id })} @click=${() => removeCoupon(c, id)}>✕</button></li>`)}</ul>`
        : nothing}
    </form>
  </aside>`;
}


export function setError(c: PaylitCheckout, key: ErrorKey, message: string | undefined): void {
  c.errors = { ...c.errors, [key]: message };
}

export function announce(c: PaylitCheckout, text: string, urgent = false): void {
  // Cleared first, so the same message is announced again when it repeats.
  if (urgent) c.alertText = '';
  else c.announcement = '';
  requestAnimationFrame(() => {
    if (urgent) c.alertText = text;
    else c.announcement = text;
  });
}

export function goTo(c: PaylitCheckout, index: number): void {
  c.stepIndex = index;
  void c.updateComplete.then(() => {
    c.renderRoot.querySelector<HTMLElement>(`[data-step="${steps(c)[index] ?? ''}"] h2`)?.focus();
  });
  const name = c.l10n.t(STEP_NAMES[steps(c)[index]!]);
  announce(c, c.l10n.t('stepOf', { n: index + 1, total: steps(c).length, name }));
}

/** Checks one step; on a problem shows it, announces it, focuses the field, and returns false. */
export function check(c: PaylitCheckout, step: CheckoutStep): boolean {
  const l = c.l10n;
  switch (step) {
    case 'plan':
      if (c.plan) return true;
      setError(c, 'plan', l.t('choosePlan'));
      announce(c, l.t('choosePlan'), true);
      return false;
    case 'addons': {
      // The addon rule: a plan with addon_required needs a chosen pack.
      if (c.plan?.addon_required && c.addons.length === 0) {
        const message = l.t('packRequired');
        setError(c, 'addons', message);
        announce(c, message, true);
        void c.updateComplete.then(() => c.addonPicker?.focus());
        return false;
      }
      if (c.addonPicker && !c.addonPicker.checkValidity()) {
        c.addonPicker.reportValidity();
        c.addonPicker.focus();
        return false;
      }
      return true;
    }
    case 'address': {
      let ok = true;
      if (needsEmail(c) && !emailSchema.safeParse(c.email.trim()).success) {
        setError(c, 'email', l.t('invalidEmail'));
        ok = false;
      }
      if (!addressLocked(c) && c.addressEl && !c.addressEl.checkValidity()) {
        c.addressEl.reportValidity();
        ok = false;
      } else if (!ok) {
        void c.updateComplete.then(() => c.renderRoot.querySelector<HTMLElement>('#email')?.focus());
      }
      if (!ok) announce(c, l.t('fixErrors'), true);
      return ok;
    }
    case 'payment':
      if (amountDue(c) === 0 || c.paymentComplete) return true;
      if (!c.payment) {
        setError(c, 'payment', l.t('paymentNotSetUp'));
        return false;
      }
      setError(c, 'payment', l.t('cardIncomplete'));
      announce(c, l.t('cardIncomplete'), true);
      c.payment.focus();
      return false;
    case 'review':
      return true;
  }
}

export function choicesPayload(c: PaylitCheckout): CheckoutChoices {
  if (c.existing) return { addons: c.addons, coupon_ids: c.couponIds };
  const out: CheckoutChoices = { plan_id: c.planId, addons: c.addons, coupon_ids: c.couponIds };
  if (!addressLocked(c) && Object.keys(c.address).length) out.billing_address = c.address;
  if (needsEmail(c) && c.email) out.customer = { email: c.email.trim() };
  return out;
}

/** Saves the choices on the page (so the server checks them now); false when it refused one. */
export async function save(c: PaylitCheckout, step: CheckoutStep): Promise<boolean> {
  if (!c.adapter || !c.view) return false;
  c.status = 'saving';
  try {
    const view = await c.adapter.saveHostedPage(c.hostedPageId, choicesPayload(c));
    c.view = { ...view, checkout: c.view.checkout };
    c.status = 'ready';
    return true;
  } catch (e) {
    c.status = 'ready';
    showFailure(c, e, step);
    return false;
  }
}

/** Puts a backend error next to its field and fires `paylit-checkout-error`. */
export function showFailure(c: PaylitCheckout, e: unknown, step: CheckoutStep): void {
  const err = asAdapterError(e);
  const l = c.l10n;
  let message = err.message;
  if (err.code === 'payment_processing_failed' && !message) message = l.t('declined');
  const t = err.target;
  if (t.group === 'address' && t.field) c.addressErrors = { ...c.addressErrors, [t.field]: message };
  else if (t.group === 'customer') setError(c, 'email', message);
  else if (t.group === 'addons') setError(c, 'addons', message);
  else if (t.group === 'coupon') setError(c, 'coupon', message);
  else if (t.group === 'payment' || err.status === 402) setError(c, 'payment', message);
  else if (t.group === 'plan') setError(c, 'plan', message);
  else setError(c, 'form', message);
  announce(c, message, true);
  emit(c, 'paylit-checkout-error', { code: err.code, message, param: err.param, step });
}

export async function next(c: PaylitCheckout): Promise<void> {
  const step = steps(c)[c.stepIndex];
  if (!step || c.status !== 'ready') return;
  if (!check(c, step)) return;
  if ((step === 'addons' || step === 'address' || step === 'plan') && !(await save(c, step))) return;
  goTo(c, c.stepIndex + 1);
}

export function back(c: PaylitCheckout): void {
  if (c.stepIndex > 0 && c.status === 'ready') goTo(c, c.stepIndex - 1);
}

/** Pays: checks every step, tokenizes the card (with the bank's challenge if asked), submits once. */
export async function pay(c: PaylitCheckout): Promise<void> {
  if (c.status !== 'ready' || !c.adapter || !c.view) return;
  for (const [i, step] of steps(c).entries()) {
    if (!check(c, step)) {
      if (!c.onePage && i !== c.stepIndex) goTo(c, i);
      return;
    }
  }
  const l = c.l10n;
  c.status = 'paying';
  setError(c, 'form', undefined);
  setError(c, 'payment', undefined);
  announce(c, l.t('paying'));
  let step: CheckoutStep = 'payment';
  try {
    let token: string | undefined;
    if (amountDue(c) > 0) {
      if (!c.payment) throw new AdapterError(l.t('paymentNotSetUp'), 0, 'card_invalid', 'card');
      const card = await c.payment.tokenize();
      if (card.authentication === 'required' && (await c.payment.authenticate(card.id)) !== 'complete') {
        throw new AdapterError(l.t('authFailed'), 402, 'authentication_failed', 'card_token');
      }
      token = card.id;
    }
    step = 'review';
    // One key per submission: a repeated click or a retried request with the same card is charged once.
    const prior = c.submission;
    const key = prior && token && prior.token === token ? prior.key : idempotencyKey();
    c.submission = { token, key };
    const result = await c.adapter.submitHostedPage(c.hostedPageId, choicesPayload(c), { idempotencyKey: key, cardToken: token });
    c.status = 'done';
    c.view = { ...c.view, hosted_page: result.hosted_page };
    announce(c, l.t(amountDue(c) > 0 ? 'success' : 'successTrial'));
    emit(c, 'paylit-checkout-success', { hostedPageId: c.hostedPageId, hostedPage: result.hosted_page, redirectUrl: result.redirect_url });
  } catch (e) {
    c.status = 'ready';
    c.submission = undefined;
    showFailure(c, e, step);
  }
}

export async function applyCoupon(c: PaylitCheckout, e: Event): Promise<void> {
  e.preventDefault();
  const code = c.couponDraft.trim();
  if (!code || !c.adapter || c.status !== 'ready') return;
  if (c.couponIds.includes(code)) return;
  c.status = 'saving';
  setError(c, 'coupon', undefined);
  try {
    const view = await c.adapter.saveHostedPage(c.hostedPageId, { ...choicesPayload(c), coupon_ids: [...c.couponIds, code] });
    c.view = view;
    c.couponIds = view.checkout.coupon_ids ?? [...c.couponIds, code];
    c.couponDraft = '';
    announce(c, c.l10n.t('couponApplied', { code }));
  } catch (err) {
    const message = asAdapterError(err).message;
    setError(c, 'coupon', message);
    announce(c, message, true);
  } finally {
    c.status = 'ready';
  }
}

export function removeCoupon(c: PaylitCheckout, id: string): void {
  c.couponIds = c.couponIds.filter((c) => c !== id);
}

export function onPlanChange(c: PaylitCheckout, e: Event): void {
  const id = (e.target as HTMLInputElement).value;
  c.planId = id;
  setError(c, 'plan', undefined);
  // The new plan keeps only the choices it allows; the addon rule is checked again on Continue and Pay.
  c.addons = c.addons.filter((a) => choosable(c, a.id));
  if (!c.plan?.addon_required) setError(c, 'addons', undefined);
}

export function onAddonsChange(c: PaylitCheckout, e: Event): void {
  c.addons = (e.target as PaylitAddonPicker).value;
  if (c.addons.length) setError(c, 'addons', undefined);
}



/** Takes a freshly loaded page: the choices it carries, the card entry, the first step. */
export function start(c: PaylitCheckout, view: HostedPageView, adapter: BackendAdapter): void {
  c.view = view;
  c.loadedAt = Date.now();
  c.planId = view.checkout.plan_id ?? '';
  c.addons = (view.checkout.addons ?? []).filter((a) => choosable(c, a.id)).map((a) => ({ id: a.id, quantity: a.quantity ?? 1 }));
  c.couponIds = view.checkout.coupon_ids ?? [];
  c.address = view.customer.billing_address ?? {};
  c.email = view.customer.email ?? '';
  c.payment?.destroy();
  c.payment = adapter.paymentMethod?.(c.hostedPageId);
  if (c.payment) {
    c.payment.onChange = (s) => {
      c.paymentComplete = s.complete;
      if (s.complete && c.errors.payment) setError(c, 'payment', undefined);
    };
  }
  const done = view.hosted_page.state !== 'created' && view.hosted_page.state !== 'requested';
  c.status = done ? 'done' : 'ready';
  c.stepIndex = 0;
  c.lastStep = undefined;
}

/** After each render: announces a new step with `paylit-checkout-step`. */
export function afterUpdate(c: PaylitCheckout): void {
  const step = steps(c)[c.stepIndex];
  if (c.status !== 'loading' && c.view && step && step !== c.lastStep && !c.onePage) {
    const previous = c.lastStep;
    c.lastStep = step;
    emit(c, 'paylit-checkout-step', { step, index: c.stepIndex, previous });
  }
}

/** The steps this page shows. */
export function steps(c: PaylitCheckout): CheckoutStep[] {
  const v = c.view;
  if (!v) return [];
  const currency = c.plan?.currency_code;
  const plans = v.catalog.plans.filter((p) => p.status === 'active' && (!currency || p.currency_code === currency));
  const out: CheckoutStep[] = [];
  if (!c.existing && plans.length > 1) out.push('plan');
  out.push('addons');
  if (!c.existing) out.push('address');
  out.push('payment', 'review');
  return out;
}
export function choosable(c: PaylitCheckout, id: string): boolean {
  const plan = c.plan ?? c.view?.catalog.plans.find((p) => p.id === c.view?.checkout.plan_id);
  if (!plan || !c.view) return false;
  return applicableAddons(plan, c.view.catalog.addons).offered.some((o) => o.addon.id === id && o.kind !== 'mandatory');
}
export function needsEmail(c: PaylitCheckout): boolean {
  return !c.existing && !c.view?.customer.email;
}
export function addressLocked(c: PaylitCheckout): boolean {
  return !!c.view?.customer.billing_address_locked;
}

/** The order summary's numbers: live from the core for a new subscription; the server's for a change. */
export function estimate(c: PaylitCheckout): SummaryEstimate | { error: string } | undefined {
  const v = c.view;
  const plan = c.plan;
  if (!v) return undefined;
  if (c.existing) return v.estimate ?? (v.estimate_error ? { error: v.estimate_error.message } : undefined);
  if (!plan || !c.engine) return undefined;
  // The site clock the server gave, moved on by the time this page has been open.
  const now = v.now + Math.floor((Date.now() - c.loadedAt) / 1000);
  const key = JSON.stringify([plan.id, c.addons, c.couponIds, c.address.country, c.address.state_code, v.coupons.length, Math.floor(now / 3600)]);
  if (c.estimateCache?.key === key) return c.estimateCache.result;
  let result: SummaryEstimate | { error: string };
  try {
    result = c.engine.estimateNewSubscription(
      {
        plan,
        plan_quantity: v.checkout.plan_quantity,
        addons: c.addons,
        coupons: v.coupons.filter((x) => c.couponIds.includes(x.id)),
        defer_addon_requirement: true,
      },
      { addons: v.catalog.addons, taxProfile: v.tax_profile ?? undefined, billingAddress: c.address, taxExempt: v.customer.taxability === 'exempt', now },
    );
  } catch (e) {
    result = { error: e instanceof PaylitValidationError ? (e.errors[0]?.message ?? e.message) : String(e) };
  }
  c.estimateCache = { key, result };
  return result;
}

export function amountDue(c: PaylitCheckout): number {
  const e = estimate(c);
  return e && !('error' in e) ? e.amount_due_now : 0;
}
