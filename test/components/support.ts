// Shared helpers for the element tests: the demo catalog parsed with the core's schemas, a BackendAdapter double,
// a card-entry double, axe, and small DOM helpers.
import { expect } from '@esm-bundle/chai';
import type { BackendAdapter, CheckoutChoices, HostedPageView, PaymentMethod, SubmitResult } from '../../src/adapter/adapter.js';
import { AdapterError } from '../../src/adapter/errors.js';
import { parseOrThrow } from '../../src/core/errors.js';
import { addonSchema, type Addon } from '../../src/core/schemas/addon.js';
import { couponSchema } from '../../src/core/schemas/coupon.js';
import { planSchema, type Plan } from '../../src/core/schemas/plan.js';
import { demoAddons, demoCoupons, demoPlans, demoTaxProfile } from '../../src/server/seed/catalog.js';

export const plans: Plan[] = demoPlans.map((p) => parseOrThrow(planSchema, p));
export const addons: Addon[] = demoAddons.map((a) => parseOrThrow(addonSchema, a));
export const packs = addons.filter((a) => a.id.startsWith('credits-'));
export const JAN31 = Date.UTC(2025, 0, 31) / 1000;

/** Waits for an element's update (and the lazy chunks it waits for), then a frame. */
export async function settle(el: Element): Promise<void> {
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
}

export async function until(check: () => unknown, what: string, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function mount<T extends HTMLElement>(html: string): T {
  const host = document.createElement('div');
  host.innerHTML = html;
  document.body.append(host);
  return host.firstElementChild as T;
}
export function cleanup(): void {
  document.body.innerHTML = '';
}

/** The element's shadow root, typed. */
export const $ = (el: Element, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
export const $$ = (el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
/** The deepest focused element, through shadow roots. */
export function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}
export function key(target: Element, k: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, cancelable: true }));
}

// ------------------------------------------------------------------------------------------------------- axe
declare global {
  interface Window {
    axe?: { run(ctx: Element, opts?: object): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ html: string }> }> }> };
  }
}
async function loadAxe(): Promise<NonNullable<Window['axe']>> {
  if (!window.axe) {
    await new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/node_modules/axe-core/axe.min.js';
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('axe-core did not load'));
      document.head.append(s);
    });
  }
  return window.axe!;
}
/** Runs axe on an element (shadow roots included) and fails with the violations listed. */
export async function expectAccessible(el: Element, state: string): Promise<void> {
  const axe = await loadAxe();
  const r = await axe.run(el, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, rules: { region: { enabled: false } } });
  const text = r.violations.map((v) => `${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.html).join('\n    ')}`).join('\n');
  expect(r.violations, `${el.localName} (${state}):\n${text}`).to.have.length(0);
}

// ------------------------------------------------------------------------------------------------- doubles

/**
 * A card entry double: "complete" once its input holds 16 digits, except a number ending 4241, which is wrong (as one
 * failing Luhn is) and says so once typed in full, as the card frame does; short, it is incomplete, said on Pay.
 * 4000…0002 tokenizes but the fake backend declines it.
 */
export class FakeCard implements PaymentMethod {
  readonly element: HTMLInputElement;
  onChange: PaymentMethod['onChange'];
  tokenized = 0;
  constructor() {
    this.element = document.createElement('input');
    this.element.setAttribute('aria-label', 'Card number');
    this.element.addEventListener('input', () => this.onChange?.({ complete: this.complete, error: this.problem(false) }));
  }
  /** The card frame's reasons (core's checkCard), as `card[number]` errors: incomplete only when `all` are judged (Pay). */
  private problem(all: boolean): AdapterError | undefined {
    const v = this.element.value;
    if (!/^\d{16}$/.test(v)) return all ? new AdapterError('This card number is incomplete.', 400, 'incomplete_number', 'card[number]') : undefined;
    return v.endsWith('4241') ? new AdapterError('This card number is not valid. Check it for typos.', 400, 'invalid_number', 'card[number]') : undefined;
  }
  get complete(): boolean {
    return !this.problem(true);
  }
  /** The answers given to the bank's challenge, by token. */
  answers: Array<[string, 'complete' | 'fail']> = [];
  async tokenize() {
    this.tokenized++;
    const wrong = this.problem(true);
    if (wrong) {
      this.onChange?.({ complete: false, error: wrong });
      throw wrong;
    }
    // 4000 0000 0000 3220 asks for 3-D Secure, as the test gateway's does.
    return { id: `tok_${this.element.value}`, brand: 'visa', last4: this.element.value.slice(-4), authentication: this.element.value.endsWith('3220') ? 'required' : 'none' };
  }
  async authenticate(tokenId: string, outcome: 'complete' | 'fail'): Promise<void> {
    this.answers.push([tokenId, outcome]);
  }
  focus(): void {
    this.element.focus();
  }
  reset(): void {
    this.element.value = '';
  }
  destroy(): void {
    this.element.remove();
  }
}

/** A BackendAdapter double holding one hosted page over the demo catalog. */
export class FakeAdapter implements BackendAdapter {
  saves: CheckoutChoices[] = [];
  submits: Array<{ choices: CheckoutChoices; key: string; token: string | undefined }> = [];
  card = new FakeCard();
  failRead = false;
  view: HostedPageView;
  constructor(planId = 'credits-starter', extra: Partial<HostedPageView> = {}) {
    this.view = {
      now: JAN31,
      hosted_page: { id: 'hp_test', type: 'checkout_new', url: 'http://backend.test/hosted/checkout/hp_test', state: 'created', embed: true, created_at: JAN31, expires_at: JAN31 + 3600, object: 'hosted_page' },
      checkout: { kind: 'new', plan_id: planId, addons: [], coupon_ids: [] },
      coupons: [],
      site: { display_name: 'Inkwell' },
      catalog: { plans: plans.filter((p) => p.id === planId), addons },
      tax_profile: demoTaxProfile,
      customer: { billing_address_locked: false, taxability: 'taxable' },
      ...extra,
    };
  }
  async catalog() {
    return { plans, addons, tax_profile: demoTaxProfile };
  }
  async estimate(): Promise<never> {
    throw new Error('not used');
  }
  async readHostedPage(): Promise<HostedPageView> {
    await new Promise((r) => setTimeout(r, 30));
    if (this.failRead) throw new AdapterError('The connection failed. Check your connection and try again.', 0, 'network_error');
    return structuredClone(this.view);
  }
  async saveHostedPage(_id: string, choices: CheckoutChoices): Promise<HostedPageView> {
    this.saves.push(choices);
    const bad = choices.coupon_ids?.find((c) => !demoCoupons.some((d) => d.id === c));
    if (bad) throw new AdapterError(`coupon "${bad}" does not exist`, 400, 'resource_not_found', 'coupon_ids[0]');
    if (choices.billing_address?.zip === '00000') throw new AdapterError('is not a deliverable ZIP code', 400, 'param_wrong_value', 'billing_address[zip]');
    const coupons = (choices.coupon_ids ?? []).map((id) => parseOrThrow(couponSchema, demoCoupons.find((d) => d.id === id)!));
    return { ...structuredClone(this.view), coupons, checkout: { ...this.view.checkout, coupon_ids: choices.coupon_ids } };
  }
  async submitHostedPage(_id: string, choices: CheckoutChoices, o: { idempotencyKey: string; cardToken?: string | undefined }): Promise<SubmitResult> {
    this.submits.push({ choices, key: o.idempotencyKey, token: o.cardToken });
    await new Promise((r) => setTimeout(r, 20));
    if (o.cardToken === 'tok_4000000000000002') throw new AdapterError('Your card was declined.', 402, 'payment_processing_failed', undefined, 'card_declined');
    if (o.cardToken === 'tok_4000000000009995') throw new AdapterError('Your card has insufficient funds.', 402, 'payment_processing_failed', undefined, 'insufficient_funds');
    if (o.cardToken === 'tok_4000000000003220' && this.card.answers.at(-1)?.[1] !== 'complete') throw new AdapterError('Authentication failed.', 402, 'payment_processing_failed', 'card_token');
    return { hosted_page: { ...this.view.hosted_page, state: 'succeeded' } };
  }
  async readPortalSection() {
    return { billing_address: null };
  }
  async savePortalSection(_s: 'address', data: { billing_address: object }) {
    return { billing_address: data.billing_address };
  }
  paymentMethod(): PaymentMethod {
    return this.card;
  }
}

/** An element's shadow text, whitespace collapsed. */
export const text = (el: Element): string => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
