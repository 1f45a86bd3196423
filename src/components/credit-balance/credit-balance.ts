import { adoptStyles, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import * as z from 'zod/mini';
import type { Addon } from '../../core/schemas/addon.js';
import { browserAddon } from '../../core/schemas/browser.js';
import { emit, type TopUpChoice } from '../internal/events.js';
import { addStates, checkProperties } from '../internal/form-control.js';
import { addEnglish, LocaleController } from '../internal/localize.js';
import { creditBalanceEnglish } from '../internal/locales/en.js';
import { PopoverController } from '../internal/popover.js';
import { tokens } from '../internal/styles.js';
import type { OfferHost, OfferView } from './credit-balance-offer.js';
import { styles } from './credit-balance.styles.js';

const credits = z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
const packsSchema = z.array(browserAddon);

type Offer = typeof import('./credit-balance-offer.js');
let offerChunk: Promise<Offer> | undefined;
/**
 * The offer's views and strings: one chunk, loaded when an offer first opens (a balance never low never loads it).
 * Should it fail (offline), the offer stays closed and the next open tries again.
 */
const loadOffer = (): Promise<Offer> =>
  (offerChunk ??= import('./credit-balance-offer.js').catch((e: unknown) => {
    offerChunk = undefined;
    throw e;
  }));

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
export class PaylitCreditBalance extends LitElement implements OfferHost {
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
    addStates(this, ['view', 'picked', 'offer']);
  }
  static override shadowRootOptions: ShadowRootInit = { mode: 'open', delegatesFocus: true };
  /** @internal */
  readonly l10n = new LocaleController(this);

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

  /** @internal */
  view: OfferView = 'offer';
  /** @internal */
  picked?: string;
  /** The offer's chunk, once loaded. */
  private offer?: Offer;
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
  /** @internal */
  get currentPack(): Addon | undefined {
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
    if (changed.has('open') && !this.open) this.openedForLow = false;
    if (this.open && !this.offer) {
      void loadOffer().then(
        (o) => {
          if (this.offer) return;
          adoptStyles(this.renderRoot as ShadowRoot, [...PaylitCreditBalance.elementStyles, o.offerStyles]);
          this.offer = o;
        },
        () => (this.open = false),
      );
    }
    // Shown once its content is in (the chunk on the first open), so it is placed with the size it will have.
    if (this.open && this.offer && !this.offerPopover.open) this.offerPopover.show();
    if (!this.open && this.offerPopover.open) this.offerPopover.hide();
  }

  /** Also waits, while the offer is open, for its chunk and the render with it. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.open || this.offer) return done;
    await loadOffer().catch(() => undefined);
    return super.getUpdateComplete();
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

  /** @internal */
  request(choice: TopUpChoice, addonId: string | undefined): void {
    const ok = emit(this, 'paylit-topup-request', { choice, addonId, quantity: this.quantity }, true);
    if (!ok) return; // a listener refused: stay open
    if (choice === 'change_pack' && addonId) this.pack = addonId;
    this.offerPopover.hide('programmatic');
    this.renderRoot.querySelector<HTMLElement>('.balance')?.focus();
  }

  protected override render() {
    const l = this.l10n;
    const low = this.low;
    return html`<div part="base" dir=${l.dir} lang=${l.locale} class=${low ? 'low' : ''}>
      <button type="button" class="balance" part="balance" aria-haspopup="dialog" aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="offer" @click=${() => (this.open ? this.hide() : this.show())}>
        <span class="visually-hidden">${l.t('creditBalance')}: </span>
        <span aria-hidden="true" class="dot"></span>
        <span>${l.t('balance', { count: this.balance })}</span>
      </button>
      <div id="offer" popover="manual" part="popover" role="dialog" aria-labelledby="offer-title" aria-describedby="offer-text">
        ${this.offer?.renderOffer(this) ?? nothing}
      </div>
    </div>`;
  }

  /** @internal Moves the offer to another view and focus into it. */
  goTo(view: OfferView, focus = '[popover] button'): void {
    this.view = view;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(focus)?.focus());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paylit-credit-balance': PaylitCreditBalance;
  }
}
