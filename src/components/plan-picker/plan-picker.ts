import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import * as z from 'zod/mini';
import { browserPlan } from '../../core/schemas/browser.js';
import type { Plan } from '../../core/schemas/plan.js';
import { customerName } from '../../core/schemas/common.js';
import { fireChange } from '../internal/events.js';
import { capitalize, periodText, planPrice } from '../internal/format.js';
import { addStates, checkProperties, PaylitFormControl } from '../internal/form-control.js';
import { addEnglish } from '../internal/localize.js';
import { planPickerEnglish } from '../internal/locales/en.js';
import { tokens } from '../internal/styles.js';
import { styles } from './plan-picker.styles.js';

const plansSchema = z.array(browserPlan);
const periodKey = (p: Pick<Plan, 'period' | 'period_unit'>) => `${String(p.period)}-${p.period_unit}`;
/** The words of a text, to compare what two texts say: lower case, each run of spaces and punctuation one space. */
const words = (s: string, locale: string) => ` ${s.toLocaleLowerCase(locale).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
/**
 * A long catalog paints at once: the first cards (more than a wide screen shows) render with the element, the rest
 * follow in chunks, one per frame. The chosen plan and the focused one are always rendered, and every card says its
 * place in the whole list (aria-posinset / aria-setsize), so nothing is missing for the keyboard or a screen reader.
 */
const FIRST_CARDS = 96;
const MORE_CARDS = 192;

/**
 * The plans on offer as a radio group with the look of a pricing table: name, description, price and period, trial
 * and setup cost (each of these details once: not beside a description that already says it). Toggles for the billing period and the currency appear when the plans offer more than one.
 * Roving tabindex: Tab enters at the chosen plan, the arrow keys move and choose (wrapping), Home and End jump.
 *
 * @summary Plan picker.
 * @fires change - When the customer chooses a plan (`value` is its id).
 * @csspart base - The wrapper.
 * @csspart toggles - The billing-period and currency toggles.
 * @csspart toggle - One toggle group.
 * @csspart plans - The radio group.
 * @csspart plan - One plan card (`plan selected` when chosen).
 * @csspart name - A plan's name.
 * @csspart description - A plan's description.
 * @csspart price - A plan's price and period.
 * @csspart details - Trial, setup cost and free units.
 * @cssprop --paylit-color-primary - Accent: selection, buttons, focus ring.
 * @cssprop --paylit-color-on-primary - Text on the accent.
 * @cssprop --paylit-color-text - Body text.
 * @cssprop --paylit-color-muted - Secondary text.
 * @cssprop --paylit-color-surface - Background of cards and fields.
 * @cssprop --paylit-color-background - Background of the element.
 * @cssprop --paylit-color-border - Borders.
 * @cssprop --paylit-color-danger - Errors.
 * @cssprop --paylit-color-success - Success and "recommended" marks.
 * @cssprop --paylit-radius - Corner radius.
 * @cssprop --paylit-font - Font family.
 * @cssprop --paylit-font-size - Base font size.
 * @cssprop --paylit-spacing - The spacing unit.
 */
export class PaylitPlanPicker extends PaylitFormControl {
  static override styles = [tokens, styles];
  static override properties: PropertyDeclarations = {
    plans: { attribute: false },
    value: {},
    currency: {},
    period: {},
    label: {},
  };
  static {
    addEnglish(planPickerEnglish);
    checkProperties(this, { plans: plansSchema });
    addStates(this, ['focusIndex', 'cards']);
  }

  /** The plans to offer (the catalog's; inactive ones are left out). Checked with zod: bad plans throw, naming the field. */
  plans: Plan[] = [];

  /** The chosen plan's id. */
  value = '';
  /** The currency shown (ISO 4217); defaults to the chosen plan's, or the first plan's. */
  currency?: string;
  /** The billing period shown, as `1-month` or `1-year`; defaults to the chosen plan's. */
  period?: string;
  /** The radio group's accessible name. */
  label?: string;

  private focusIndex = -1;
  /** How many cards of the visible plans are rendered (see FIRST_CARDS). */
  private cards = FIRST_CARDS;
  private missing = 0;
  private nextCards: number | undefined;
  private defaultValue = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.defaultValue = this.value;
  }

  protected resetValue(): void {
    this.value = this.defaultValue;
  }

  private get active(): Plan[] {
    return this.plans.filter((p) => p.status === 'active');
  }
  private get selected(): Plan | undefined {
    return this.plans.find((p) => p.id === this.value);
  }
  private get shownCurrency(): string | undefined {
    const all = this.active;
    const want = this.currency ?? this.selected?.currency_code;
    return want && all.some((p) => p.currency_code === want) ? want : all[0]?.currency_code;
  }
  private get shownPeriod(): string | undefined {
    const inCurrency = this.active.filter((p) => p.currency_code === this.shownCurrency);
    const sel = this.selected;
    const want = this.period ?? (sel && sel.currency_code === this.shownCurrency ? periodKey(sel) : undefined);
    return want && inCurrency.some((p) => periodKey(p) === want) ? want : inCurrency[0] && periodKey(inCurrency[0]);
  }
  /** The plans the cards show now: active, in the shown currency and period. */
  get visiblePlans(): Plan[] {
    const c = this.shownCurrency;
    const k = this.shownPeriod;
    return this.active.filter((p) => p.currency_code === c && periodKey(p) === k);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.nextCards !== undefined) cancelAnimationFrame(this.nextCards);
    this.nextCards = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value')) this.internals.setFormValue(this.value || null);
    if (changed.has('plans') || changed.has('currency') || changed.has('period')) this.cards = FIRST_CARDS;
  }

  protected override updated(): void {
    const missing = this.required && !this.value;
    this.setValidity({ valueMissing: missing }, missing ? this.l10n.t('choosePlan') : '', this.renderRoot.querySelector<HTMLElement>('.plan'));
    if (this.missing > 0 && this.nextCards === undefined && this.isConnected) {
      this.nextCards = requestAnimationFrame(() => {
        this.nextCards = undefined;
        this.cards += MORE_CARDS;
      });
    }
  }

  private choose(plan: Plan, focus = false): void {
    if (this.disabled) return;
    const i = this.visiblePlans.indexOf(plan);
    this.focusIndex = i;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelectorAll<HTMLElement>('.plan')[i]?.focus());
    this.markTouched();
    if (plan.id === this.value) return;
    this.value = plan.id;
    fireChange(this);
  }

  private onKey(e: KeyboardEvent, index: number): void {
    const plans = this.visiblePlans;
    const rtl = this.l10n.dir === 'rtl';
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 };
    let next: number | undefined;
    if (e.key in step) next = (index + step[e.key]! + plans.length) % plans.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = plans.length - 1;
    else if (e.key === ' ' || e.key === 'Enter') next = index;
    if (next === undefined) return;
    e.preventDefault();
    this.choose(plans[next]!, true);
  }

  private toggle(kind: 'currency' | 'period', options: string[], current: string | undefined, label: (o: string) => string) {
    if (options.length < 2) return nothing;
    return html`<div class="toggle" part="toggle" role="group" aria-label=${this.l10n.t(kind === 'currency' ? 'currency' : 'billingPeriod')}>
      ${options.map(
        (o) => html`<button type="button" aria-pressed=${o === current ? 'true' : 'false'} ?disabled=${this.disabled}
          @click=${() => {
            this[kind] = o;
            this.focusIndex = -1;
          }}>${label(o)}</button>`,
      )}
    </div>`;
  }

  protected override render() {
    const l = this.l10n;
    const currencies = [...new Set(this.active.map((p) => p.currency_code))];
    const currency = this.shownCurrency;
    const periods = [...new Set(this.active.filter((p) => p.currency_code === currency).map(periodKey))];
    const period = this.shownPeriod;
    const plans = this.visiblePlans;
    const checked = plans.findIndex((p) => p.id === this.value);
    const tabStop = this.focusIndex >= 0 && this.focusIndex < plans.length ? this.focusIndex : Math.max(0, checked);
    const shown = Math.max(this.cards, checked + 1, tabStop + 1);
    this.missing = Math.max(0, plans.length - shown);
    const periodLabel = (k: string) => {
      const [n, unit] = k.split('-') as [string, 'day' | 'week' | 'month' | 'year'];
      return capitalize(periodText(l, Number(n), unit), l.locale);
    };
    return html`<div part="base" dir=${l.dir} lang=${l.locale}>
      ${currencies.length > 1 || periods.length > 1
        ? html`<div class="toggles" part="toggles">
            ${this.toggle('period', periods, period, periodLabel)}
            ${this.toggle('currency', currencies, currency, (c) => c)}
          </div>`
        : nothing}
      ${plans.length === 0
        ? html`<p class="empty muted" role="status">${l.t('noPlans')}</p>`
        : html`<div class="plans" part="plans" role="radiogroup" aria-label=${this.label ?? l.t('choosePlan')}
            aria-required=${this.required ? 'true' : 'false'} aria-disabled=${this.disabled ? 'true' : 'false'}>
            ${plans.slice(0, shown).map((p, i) => this.card(p, i === checked, i === tabStop, i, plans.length))}
          </div>`}
    </div>`;
  }

  private card(p: Plan, checked: boolean, tabStop: boolean, i: number, count: number) {
    const l = this.l10n;
    const id = `plan-${String(i)}`;
    const trial = p.trial_period !== undefined && p.trial_period_unit !== undefined
      ? l.t('trial', { count: p.trial_period, unit: l.t(p.trial_period_unit === 'day' ? 'trialDay' : 'trialMonth') })
      : undefined;
    // A detail the merchant's description already says in the same words ("A 14-day free trial, then ...") is not
    // said again beside it.
    const said = words(p.description ?? '', l.locale);
    const details = [
      trial,
      p.setup_cost ? l.t('setupCost', { price: l.money(p.setup_cost, p.currency_code) }) : undefined,
      p.free_quantity > 0 ? l.t('freeUnits', { count: p.free_quantity }) : undefined,
    ].filter((d) => d !== undefined && !said.includes(words(d, l.locale)));
    return html`<div class="plan" part=${checked ? 'plan selected' : 'plan'} role="radio" aria-checked=${checked ? 'true' : 'false'}
      aria-disabled=${this.disabled ? 'true' : 'false'} tabindex=${tabStop && !this.disabled ? '0' : '-1'}
      aria-posinset=${i + 1} aria-setsize=${count}
      aria-labelledby=${`${id}-name ${id}-price`} aria-describedby=${`${id}-desc`}
      @click=${() => this.choose(p, true)} @keydown=${(e: KeyboardEvent) => this.onKey(e, i)}>
      <span class="check" aria-hidden="true"></span>
      <span class="name" part="name" id=${`${id}-name`}>${customerName(p)}</span>
      <span class="price" part="price" id=${`${id}-price`}>${planPrice(l, p)}</span>
      <span id=${`${id}-desc`}>
        ${p.description ? html`<span class="muted" part="description">${p.description}</span>` : nothing}
        ${details.length ? html`<span class="muted" part="details"> ${details.join(' · ')}</span>` : nothing}
      </span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paylit-plan-picker': PaylitPlanPicker;
  }
}
