import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import * as z from 'zod/mini';
import { addonSpec } from '../../core/specs.js';
import { priceLine } from '../../core/pricing.js';
import { type Addon, addonSchema } from '../../core/schemas/addon.js';
import { emit, type TopUpChoice } from '../internal/events.js';
import { packCredits, quantityLimits } from '../internal/format.js';
import { addStates, checkProperties } from '../internal/form-control.js';
import { addEnglish, LocaleController } from '../internal/localize.js';
import { creditBalanceEnglish } from '../internal/locales/en.js';
import { PopoverController } from '../internal/popover.js';
import { tokens } from '../internal/styles.js';
import { styles } from './credit-balance.styles.js';

const credits = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
const packsSchema = z.array(addonSchema);

/**
 * The customer's credit balance. When it is below `threshold`, a popover (Floating UI, in the top layer) offers to top
 * up: "Replenish now", "Add at next renewal", "Change pack" (which lists the packs) and "No thanks". Each choice fires
 * a cancelable `paylit-topup-request`; unless a listener cancels it, the popover closes. Escape and a click outside
 * close it too. The balance itself is a button that opens the same offer at any time.
 *
 * @summary Credit balance with a top-up offer.
 * @fires paylit-topup-request - `{ choice, addonId, quantity }`; cancel it to keep the popover open.
 * @csspart base - The wrapper.
 * @csspart balance - The balance button.
 * @csspart popover - The top-up offer.
 * @csspart title - The offer's heading.
 * @csspart actions - The offer's buttons.
 * @csspart pack - A pack in the "Change pack" list.
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
export class PaylitCreditBalance extends LitElement {
  static override styles = [tokens, styles];
  static override properties: PropertyDeclarations = {
    locale: { reflect: true },
    theme: { reflect: true },
    balance: { type: Number },
    threshold: { type: Number },
    packs: { attribute: false },
    pack: {},
    quantity: { type: Number },
    open: { type: Boolean, reflect: true },
  };
  static {
    addEnglish(creditBalanceEnglish);
    checkProperties(this, { balance: credits, threshold: credits, packs: packsSchema });
    addStates(this, ['view', 'picked']);
  }
  static override shadowRootOptions: ShadowRootInit = { mode: 'open', delegatesFocus: true };
  private readonly l10n = new LocaleController(this);

  locale?: string;
  theme?: 'light' | 'dark';

  /** The credits left (a whole number, at least 0). */
  balance: number = 0;

  /** Below this many credits the top-up offer opens by itself. */
  threshold: number = 0;

  /** The credit packs on offer (addons whose `meta_data.credits` says how many credits they grant). */
  packs: Addon[] = [];

  /** The pack offered by default (its addon id); the first pack when unset. */
  pack?: string;
  /** How many of the pack to buy. */
  quantity = 1;
  /** Whether the offer is open. */
  open = false;

  private view: 'offer' | 'packs' | 'confirm' = 'offer';
  private picked?: string;
  /** Declined ("No thanks" or closed) at this balance: the offer stays closed until the balance changes. */
  private dismissedAt?: number;
  /** The offer is open because the balance fell low, not because the customer asked for it. */
  private openedForLow = false;

  private readonly offerPopover = new PopoverController(this, {
    anchor: () => this.renderRoot.querySelector<HTMLElement>('.balance'),
    floating: () => this.renderRoot.querySelector<HTMLElement>('[popover]'),
    placement: 'bottom-end',
  }, (reason) => {
    this.open = false;
    this.view = 'offer';
    this.dismissedAt = this.balance;
    if (reason === 'escape') this.renderRoot.querySelector<HTMLElement>('.balance')?.focus();
  });

  /** Whether the balance is below the threshold. */
  get low(): boolean {
    return this.balance < this.threshold;
  }
  private get currentPack(): Addon | undefined {
    return this.packs.find((p) => p.id === this.pack) ?? this.packs[0];
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('balance') && this.dismissedAt !== undefined && this.dismissedAt !== this.balance) this.dismissedAt = undefined;
    if (!(changed.has('balance') || changed.has('threshold') || changed.has('packs'))) return;
    if (this.low && this.dismissedAt === undefined && this.packs.length && !this.open) {
      this.open = true;
      this.openedForLow = true;
    } else if (!this.low && this.open && this.openedForLow && this.view === 'offer') {
      // The credits arrived (a top-up elsewhere): an offer that opened by itself for a low balance is moot.
      this.open = false;
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('open')) {
      if (!this.open) this.openedForLow = false;
      if (this.open && !this.offerPopover.open) this.offerPopover.show();
      if (!this.open && this.offerPopover.open) this.offerPopover.hide();
    }
  }

  /** Opens the offer and moves focus into it. */
  show(): void {
    this.open = true;
    this.openedForLow = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[popover] button')?.focus());
  }
  hide(): void {
    this.open = false;
  }

  private request(choice: TopUpChoice, addonId: string | undefined): void {
    const ok = emit(this, 'paylit-topup-request', { choice, addonId, quantity: this.quantity }, true);
    if (!ok) return; // a listener refused: stay open
    if (choice === 'change_pack' && addonId) this.pack = addonId;
    this.offerPopover.hide('programmatic');
    this.renderRoot.querySelector<HTMLElement>('.balance')?.focus();
  }

  private packPrice(p: Addon): string {
    return this.l10n.money(priceLine(addonSpec(p), this.quantity, p.currency_code).amount, p.currency_code);
  }
  private baseName(p: Addon): string {
    const n = packCredits(p);
    return n ? this.l10n.t('credits', { count: n }) : p.name;
  }
  private packName(p: Addon): string {
    return this.quantity > 1 ? `${String(this.quantity)} × ${this.baseName(p)}` : this.baseName(p);
  }

  protected override render() {
    const l = this.l10n;
    const pack = this.currentPack;
    const low = this.low;
    return html`<div part="base" dir=${l.dir} lang=${l.locale} class=${low ? 'low' : ''}>
      <button type="button" class="balance" part="balance" aria-haspopup="dialog" aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="offer" @click=${() => (this.open ? this.hide() : this.show())}>
        <span class="visually-hidden">${l.t('creditBalance')}: </span>
        <span aria-hidden="true" class="dot"></span>
        <span>${l.t('balance', { count: this.balance })}</span>
      </button>
      <div id="offer" popover="manual" part="popover" role="dialog" aria-labelledby="offer-title" aria-describedby="offer-text">
        ${this.view === 'offer' ? this.offer(pack) : this.view === 'confirm' ? this.confirmStop() : this.packList()}
      </div>
    </div>`;
  }

  private offer(pack: Addon | undefined) {
    const l = this.l10n;
    return html`<h2 id="offer-title" part="title">${l.t('lowBalance')}</h2>
      <p id="offer-text">${l.t('lowBalanceText', { balance: l.t('credits', { count: this.balance }) })}
        ${pack ? l.t('topUpWith', { pack: this.packName(pack), price: this.packPrice(pack) }) : nothing}</p>
      <div class="actions" part="actions">
        <button type="button" class="button primary" ?disabled=${!pack} @click=${() => this.request('replenish_now', pack?.id)}>${l.t('replenishNow')}</button>
        <button type="button" class="button" ?disabled=${!pack} @click=${() => this.request('add_at_renewal', pack?.id)}>${l.t('atRenewal')}</button>
        <button type="button" class="button" ?disabled=${this.packs.length === 0} @click=${() => {
          this.view = 'packs';
          this.picked = pack?.id;
          void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[name="pack"]:checked, [name="pack"]')?.focus());
        }}>${l.t('changePack')}</button>
        <button type="button" class="button" @click=${() => this.goTo('confirm')}>${l.t('noThanks')}</button>
      </div>`;
  }

  private goTo(view: 'offer' | 'packs' | 'confirm'): void {
    this.view = view;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[popover] button')?.focus());
  }

  /** "No thanks" says what it does before it does it: no renewal at the term's end, the credits kept. */
  private confirmStop() {
    const l = this.l10n;
    return html`<h2 id="offer-title" part="title">${l.t('stopTitle')}</h2>
      <p id="offer-text">${l.t('stopText')}</p>
      <div class="actions" part="actions">
        <button type="button" class="button primary" @click=${() => this.request('no_thanks', this.currentPack?.id)}>${l.t('stopConfirm')}</button>
        <button type="button" class="button" @click=${() => this.goTo('offer')}>${l.t('keep')}</button>
      </div>`;
  }

  private packList() {
    const l = this.l10n;
    const picked = this.packs.find((p) => p.id === this.picked) ?? this.currentPack;
    const { min, max } = picked ? quantityLimits(picked) : { min: 1, max: 1 };
    return html`<h2 id="offer-title" part="title">${l.t('choosePack')}</h2>
      <fieldset class="packs" aria-describedby="offer-text">
        <legend class="visually-hidden">${l.t('choosePack')}</legend>
        ${this.packs.map((p) => html`<label class="pack" part="pack">
          <input type="radio" name="pack" .value=${p.id} .checked=${p.id === picked?.id} @change=${() => (this.picked = p.id)} />
          <span>${this.packName(p)}</span><span class="muted">${this.packPrice(p)}</span>
        </label>`)}
      </fieldset>
      <p id="offer-text" class="muted">${picked ? l.t('topUpWith', { pack: this.packName(picked), price: this.packPrice(picked) }) : nothing}</p>
      <label class="qty">${l.t('quantityOf', { name: picked ? this.baseName(picked) : '' })}
        <input type="number" min=${min} max=${max} .value=${String(this.quantity)}
          @input=${(e: Event) => {
            // Live, so the Buy button always says what it will charge.
            const n = Number((e.target as HTMLInputElement).value);
            if (Number.isSafeInteger(n) && n >= min && n <= max) this.quantity = n;
          }}
          @change=${(e: Event) => {
            const n = Number((e.target as HTMLInputElement).value);
            this.quantity = Number.isSafeInteger(n) ? Math.min(max, Math.max(min, n)) : min;
          }} /></label>
      <div class="actions" part="actions">
        <button type="button" class="button primary" ?disabled=${!picked} @click=${() => this.request('change_pack', picked?.id)}>
          ${picked ? l.t('buyPack', { pack: this.packName(picked), price: this.packPrice(picked) }) : l.t('choosePack')}</button>
        <button type="button" class="button" @click=${() => this.goTo('offer')}>${l.t('back')}</button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paylit-credit-balance': PaylitCreditBalance;
  }
}
