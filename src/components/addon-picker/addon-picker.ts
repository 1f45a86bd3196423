import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import * as z from 'zod/mini';
import { type Applicability, applicableAddons, type OfferedAddon } from '../../core/applicability.js';
import { addonSpec } from '../../core/specs.js';
import { priceLine } from '../../core/pricing.js';
import type { Addon } from '../../core/schemas/addon.js';
import { browserAddon, browserPlan } from '../../core/schemas/browser.js';
import { customerName, id as idSchema } from '../../core/schemas/common.js';
import type { Plan } from '../../core/schemas/plan.js';
import { fireChange } from '../internal/events.js';
import { addonPrice, packCredits, quantityLimits } from '../internal/format.js';
import { addStates, checkProperties, PaylitFormControl } from '../internal/form-control.js';
import { PopoverController } from '../internal/popover.js';
import { tokens } from '../internal/styles.js';
import { styles } from './addon-picker.styles.js';

export interface AddonChoice {
  id: string;
  quantity: number;
}
const valueSchema = z.array(z.object({ id: idSchema, quantity: z._default(z.int().check(z.minimum(1)), 1) }));
const plansSchema = z.array(browserPlan);
const addonsSchema = z.array(browserAddon);

/**
 * The addons that apply to a plan, by the core's applicability rules: mandatory ones attached and locked with the
 * reason shown, recommended ones marked and listed first, optional ones offered in an "Add a pack" dropdown
 * (positioned with Floating UI). Chosen quantity addons get a stepper within the addon's limits (`meta_data.min_quantity`
 * and `max_quantity`, default 1 to 999): the arrow keys work on the input, the labelled + and − buttons disable at
 * the limits. Where the plan has `addon_required`, the picker is invalid until a pack is chosen.
 *
 * `value` holds the customer's choices only; the plan's mandatory addons are attached by the server as well.
 *
 * @summary Addon and credit-pack picker.
 * @fires change - When the customer adds, removes or changes the quantity of an addon.
 * @csspart base - The wrapper.
 * @csspart included - The list of mandatory addons.
 * @csspart chosen - The list of chosen addons.
 * @csspart suggested - The list of recommended addons not yet chosen.
 * @csspart row - One addon row.
 * @csspart stepper - A quantity stepper.
 * @csspart add-button - The "Add a pack" button.
 * @csspart menu - The dropdown of addons to add.
 * @csspart option - One addon in the dropdown.
 * @csspart error - The validation message.
 * @csspart hint - What the plan still needs (a pack), before the customer has tried to go on without it.
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
export class PaylitAddonPicker extends PaylitFormControl {
  static override styles = [tokens, styles];
  static override properties: PropertyDeclarations = {
    planId: { attribute: 'plan-id', reflect: true },
    plans: { attribute: false },
    addons: { attribute: false },
    value: { attribute: false },
    message: { attribute: false },
  };
  static {
    checkProperties(this, { plans: plansSchema, addons: addonsSchema, value: valueSchema });
    addStates(this, ['drafts']);
  }

  /** The plan whose addons are offered. */
  planId = '';

  /** The plan catalog (the plan named by `plan-id` is looked up here). */
  plans: Plan[] = [];

  /** The addon catalog; applicability picks from it. */
  addons: Addon[] = [];

  /** The chosen addons, `[{ id, quantity }]`. */
  value: AddonChoice[] = [];

  /** A message to show under the picker (the checkout's addon rule); empty for none. */
  message = '';

  /** Quantities typed that are not (yet) valid, by addon id. */
  private drafts = new Map<string, string>();
  private defaultValue: AddonChoice[] = [];
  private readonly menu = new PopoverController(this, {
    anchor: () => this.renderRoot.querySelector<HTMLElement>('.add'),
    floating: () => this.renderRoot.querySelector<HTMLElement>('[popover]'),
  }, (reason) => {
    if (reason === 'escape') this.renderRoot.querySelector<HTMLElement>('.add')?.focus();
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.defaultValue = this.value;
  }
  protected resetValue(): void {
    this.value = this.defaultValue;
    this.drafts = new Map();
    this.requestUpdate();
  }

  /** The plan named by `plan-id`. */
  get plan(): Plan | undefined {
    return this.plans.find((p) => p.id === this.planId);
  }
  private get applicability(): Applicability | undefined {
    const plan = this.plan;
    return plan ? applicableAddons(plan, this.addons) : undefined;
  }
  /** Whether the plan needs a chosen addon (the credit-pack rule) and none is chosen. */
  get missingRequired(): boolean {
    return !!this.plan?.addon_required && this.value.length === 0;
  }

  /** Focus goes where the customer acts next: the first stepper, or the "Add a pack" button. */
  override focus(options?: FocusOptions): void {
    const target = this.renderRoot.querySelector<HTMLElement>(this.value.length ? '[role="spinbutton"]' : '.add, .suggest');
    if (target) target.focus(options);
    else super.focus(options);
  }

  protected override willUpdate(changed: PropertyValues): void {
    const a = this.applicability;
    if ((changed.has('planId') || changed.has('addons') || changed.has('plans')) && a) {
      // A plan change keeps only the choices the new plan allows (mandatory ones are attached by the plan itself).
      const allowed = new Set(a.offered.filter((o) => o.kind !== 'mandatory').map((o) => o.addon.id));
      const kept = this.value.filter((c) => allowed.has(c.id));
      if (kept.length !== this.value.length) this.value = kept;
    }
    const fd = new FormData();
    const name = this.name || 'addons';
    this.value.forEach((c, i) => {
      fd.append(`${name}[id][${String(i)}]`, c.id);
      fd.append(`${name}[quantity][${String(i)}]`, String(c.quantity));
    });
    this.internals.setFormValue(fd);
  }

  /** What is wrong now: a typed quantity out of range, or no pack where the plan needs one. */
  private problem(): { flags: ValidityStateFlags; message: string; anchor: string } | undefined {
    const l = this.l10n;
    const bad = [...this.drafts.keys()][0];
    if (bad !== undefined) {
      const addon = this.addons.find((a) => a.id === bad);
      const { min, max } = addon ? quantityLimits(addon) : { min: 1, max: 999 };
      return { flags: { badInput: true }, message: l.t('quantityRange', { min, max }), anchor: `[data-id="${CSS.escape(bad)}"] input` };
    }
    if (this.missingRequired || (this.required && this.value.length === 0)) {
      return { flags: { valueMissing: true }, message: this.message || l.t('packRequired'), anchor: '.add, .suggest' };
    }
    return undefined;
  }

  protected override updated(): void {
    const p = this.problem();
    if (p) this.setValidity(p.flags, p.message, this.renderRoot.querySelector<HTMLElement>(p.anchor));
    else this.setValidity({}, '');
  }

  private commit(next: AddonChoice[]): void {
    this.value = next;
    this.markTouched();
    this.requestUpdate();
    fireChange(this);
  }

  private add(addon: Addon): void {
    if (this.disabled || this.value.some((c) => c.id === addon.id)) return;
    this.menu.hide();
    this.commit([...this.value, { id: addon.id, quantity: quantityLimits(addon).min }]);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(addon.id)}"] :is(input, .remove)`)?.focus());
  }

  private removeAddon(id: string): void {
    const i = this.value.findIndex((c) => c.id === id);
    this.drafts.delete(id);
    this.commit(this.value.filter((c) => c.id !== id));
    void this.updateComplete.then(() => {
      const rows = this.renderRoot.querySelectorAll<HTMLElement>('[part~="chosen"] [role="spinbutton"], [part~="chosen"] .remove');
      (rows[Math.min(i, rows.length - 1)] ?? this.renderRoot.querySelector<HTMLElement>('.add'))?.focus();
    });
  }

  private setQuantity(addon: Addon, quantity: number): void {
    const { min, max } = quantityLimits(addon);
    const q = Math.min(max, Math.max(min, quantity));
    this.drafts.delete(addon.id);
    const current = this.value.find((c) => c.id === addon.id);
    if (current?.quantity === q) return void this.requestUpdate();
    this.commit(this.value.map((c) => (c.id === addon.id ? { ...c, quantity: q } : c)));
  }

  private onInput(addon: Addon, e: Event): void {
    const text = (e.target as HTMLInputElement).value.trim();
    const { min, max } = quantityLimits(addon);
    if (/^\d{1,6}$/.test(text) && Number(text) >= min && Number(text) <= max) {
      this.setQuantity(addon, Number(text));
    } else {
      this.drafts = new Map(this.drafts).set(addon.id, text);
      this.markTouched();
    }
  }

  private onStepperKey(addon: Addon, quantity: number, e: KeyboardEvent): void {
    const { min, max } = quantityLimits(addon);
    const to: Record<string, number> = { ArrowUp: quantity + 1, ArrowDown: quantity - 1, PageUp: quantity + 10, PageDown: quantity - 10, Home: min, End: max };
    if (!(e.key in to)) return;
    e.preventDefault();
    this.setQuantity(addon, to[e.key]!);
  }

  private onMenuKey(e: KeyboardEvent): void {
    const options = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="option"]')];
    const i = options.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLElement);
    const move: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: options.length - 1 };
    if (e.key in move) {
      e.preventDefault();
      options[(move[e.key]! + options.length) % options.length]?.focus();
    } else if (e.key === 'Tab') {
      this.menu.hide();
    }
  }

  private openMenu(): void {
    this.menu.show();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role="option"]')?.focus());
  }

  protected override render() {
    const l = this.l10n;
    const plan = this.plan;
    const a = this.applicability;
    if (!plan || !a) return html`<div part="base"></div>`;
    const byId = new Map(a.offered.map((o) => [o.addon.id, o]));
    const mandatory = a.offered.filter((o) => o.kind === 'mandatory');
    // Recommended first (the core lists them so), then optional and on-demand ones such as credit packs.
    const choosable = a.offered.filter((o) => o.kind !== 'mandatory');
    const chosenIds = new Set(this.value.map((c) => c.id));
    const rest = choosable.filter((o) => !chosenIds.has(o.addon.id));
    const suggested = rest.filter((o) => o.kind === 'recommended');
    const packs = choosable.length > 0 && choosable.every((o) => packCredits(o.addon) !== undefined);
    const addLabel = l.t(packs || plan.addon_required ? 'addPack' : 'addAddon');
    const problem = this.problem();
    const message = this.message || (this.touched ? (problem?.message ?? '') : '');
    // Before anything is tried, a pack the plan needs is said as a hint, in grey: a checkout that opens on a $0.00
    // total and Subscribe says at once what is still to choose (and says it in red once Pay is pressed without it).
    const hint = !message && problem?.flags.valueMissing ? problem.message : '';
    return html`<div part="base" dir=${l.dir} lang=${l.locale}>
      ${mandatory.length
        ? html`<ul part="included" aria-label=${l.t('included')}>
            ${mandatory.map((o) => html`<li class="row" part="row">
              <span class="info"><span class="name">${customerName(o.addon)}${o.quantity && o.quantity > 1 ? ` × ${l.number(o.quantity)}` : ''}</span>
                <span class="muted lock">🔒 ${l.t('includedReason', { plan: customerName(plan) })}</span></span>
              <span class="amount">${this.amount(o, o.quantity ?? 1)}</span>
            </li>`)}
          </ul>`
        : nothing}
      ${this.value.length
        ? html`<ul part="chosen" aria-label=${addLabel}>${this.value.map((c) => {
            const o = byId.get(c.id);
            return o ? this.row(o, c.quantity) : nothing;
          })}</ul>`
        : nothing}
      ${suggested.length
        ? html`<ul part="suggested" aria-label=${l.t('recommended')}>
            ${suggested.map((o) => html`<li class="row" part="row">
              <span class="info"><span class="name">${customerName(o.addon)}<span class="badge">${l.t('recommended')}</span></span>
                <span class="muted">${addonPrice(l, o.addon)}</span></span>
              <button type="button" class="button suggest" ?disabled=${this.disabled} aria-label=${`${l.t('add')}: ${customerName(o.addon)}`}
                @click=${() => this.add(o.addon)}>${l.t('add')}</button>
            </li>`)}
          </ul>`
        : nothing}
      ${choosable.length === 0 && mandatory.length === 0 ? html`<p class="muted">${l.t('noAddons')}</p>` : nothing}
      ${choosable.length
        ? html`<button type="button" class="button add" part="add-button" aria-haspopup="listbox" aria-expanded=${this.menu.open ? 'true' : 'false'}
              aria-controls="menu" aria-describedby="error" ?disabled=${this.disabled || rest.length === 0}
              @click=${() => (this.menu.open ? this.menu.hide() : this.openMenu())}>
              ${rest.length ? addLabel : l.t('nothingToAdd')} <span aria-hidden="true">▾</span>
            </button>
            <div id="menu" popover="manual" role="listbox" part="menu" aria-label=${addLabel} @keydown=${this.onMenuKey}>
              ${rest.map((o) => html`<div role="option" part="option" tabindex="-1" aria-selected="false"
                @click=${() => this.add(o.addon)} @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), this.add(o.addon))}>
                <span><span class="name">${customerName(o.addon)}</span>${o.kind === 'recommended' ? html`<span class="badge">${l.t('recommended')}</span>` : nothing}
                  ${packCredits(o.addon) ? html`<br /><span class="muted">${l.t('credits', { count: packCredits(o.addon)! })}</span>` : nothing}</span>
                <span class="muted">${addonPrice(l, o.addon)}</span>
              </div>`)}
            </div>`
        : nothing}
      <p class=${hint ? 'error muted' : 'error'} id="error" part=${hint ? 'hint' : 'error'}>${message || hint}</p>
    </div>`;
  }

  private amount(o: OfferedAddon, quantity: number): string {
    const line = priceLine(addonSpec(o.addon), quantity, o.addon.currency_code, { num: o.periodFactor, den: 1 });
    return this.l10n.money(line.amount, o.addon.currency_code);
  }

  private row(o: OfferedAddon, quantity: number) {
    const l = this.l10n;
    const addon = o.addon;
    const { min, max } = quantityLimits(addon);
    const draft = this.drafts.get(addon.id);
    const credits = packCredits(addon);
    const name = customerName(addon);
    return html`<li class="row" part="row" data-id=${addon.id}>
      <span class="info">
        <span class="name">${name}${o.kind === 'recommended' ? html`<span class="badge">${l.t('recommended')}</span>` : nothing}</span>
        <span class="muted">${addonPrice(l, addon)}${credits ? ` · ${l.t('credits', { count: credits * quantity })}` : ''}</span>
      </span>
      <span class="controls">
        ${addon.type === 'on_off'
          ? nothing
          : html`<span class="stepper" part="stepper">
              <button type="button" aria-label=${l.t('decrease', { name })} ?disabled=${this.disabled || quantity <= min}
                @click=${() => this.setQuantity(addon, quantity - 1)}>−</button>
              <input type="text" inputmode="numeric" role="spinbutton" aria-label=${l.t('quantityOf', { name })}
                aria-valuemin=${min} aria-valuemax=${max} aria-valuenow=${quantity} aria-invalid=${draft !== undefined ? 'true' : 'false'}
                aria-describedby="error" .value=${draft ?? String(quantity)} ?disabled=${this.disabled}
                @input=${(e: Event) => this.onInput(addon, e)} @keydown=${(e: KeyboardEvent) => this.onStepperKey(addon, quantity, e)}
                @blur=${() => draft === undefined || this.requestUpdate()} />
              <button type="button" aria-label=${l.t('increase', { name })} ?disabled=${this.disabled || quantity >= max}
                @click=${() => this.setQuantity(addon, quantity + 1)}>+</button>
            </span>`}
        <span class="amount">${this.amount(o, quantity)}</span>
        <button type="button" class="link remove" ?disabled=${this.disabled} aria-label=${l.t('remove', { name })} @click=${() => this.removeAddon(addon.id)}>✕</button>
      </span>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paylit-addon-picker': PaylitAddonPicker;
  }
}
