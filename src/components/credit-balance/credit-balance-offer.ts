import { html, type LitElement, nothing, type TemplateResult } from 'lit';
import { addonSpec } from '../../core/specs.js';
import { priceLine } from '../../core/pricing.js';
import type { Addon } from '../../core/schemas/addon.js';
import type { TopUpChoice } from '../internal/events.js';
import { packCredits, quantityLimits } from '../internal/format.js';
import { addEnglish, type LocaleController } from '../internal/localize.js';
import { creditOfferEnglish } from '../internal/locales/en-credit-offer.js';
import { offerStyles } from './credit-balance-offer.styles.js';

export { offerStyles };

// The offer's strings arrive with this chunk.
addEnglish(creditOfferEnglish);

export type OfferView = 'offer' | 'packs' | 'confirm';

/**
 * What the top-up offer (a chunk of its own, loaded when the offer first opens) reads and calls on
 * `<paylit-credit-balance>`: the element as an interface, so the chunk does not import the element's module back.
 */
export interface OfferHost extends LitElement {
  readonly l10n: LocaleController;
  readonly balance: number;
  readonly packs: Addon[];
  quantity: number;
  readonly currentPack: Addon | undefined;
  readonly view: OfferView;
  picked?: string | undefined;
  request(choice: TopUpChoice, addonId: string | undefined): void;
  goTo(view: OfferView, focus?: string): void;
}

const packPrice = (h: OfferHost, p: Addon): string =>
  h.l10n.money(priceLine(addonSpec(p), h.quantity, p.currency_code).amount, p.currency_code);
const baseName = (h: OfferHost, p: Addon): string => {
  const n = packCredits(p);
  return n ? h.l10n.t('credits', { count: n }) : p.name;
};
const packName = (h: OfferHost, p: Addon): string => (h.quantity > 1 ? `${String(h.quantity)} × ${baseName(h, p)}` : baseName(h, p));
const topUpWith = (h: OfferHost, p: Addon): string => h.l10n.t('topUpWith', { pack: packName(h, p), price: packPrice(h, p) });

/** The popover's content for the view the element is on. */
export function renderOffer(h: OfferHost): TemplateResult {
  return h.view === 'offer' ? offer(h) : h.view === 'confirm' ? confirmStop(h) : packList(h);
}

function offer(h: OfferHost) {
  const l = h.l10n;
  const pack = h.currentPack;
  return html`<h2 id="offer-title" part="title">${l.t('lowBalance')}</h2>
    <p id="offer-text">${l.t('lowBalanceText', { balance: l.t('credits', { count: h.balance }) })}
      ${pack ? topUpWith(h, pack) : nothing}</p>
    <div class="actions" part="actions">
      <button type="button" class="button primary" ?disabled=${!pack} @click=${() => h.request('replenish_now', pack?.id)}>${l.t('replenishNow')}</button>
      <button type="button" class="button" ?disabled=${!pack} @click=${() => h.request('add_at_renewal', pack?.id)}>${l.t('atRenewal')}</button>
      <button type="button" class="button" ?disabled=${h.packs.length === 0} @click=${() => {
        h.picked = pack?.id;
        h.goTo('packs', '[name="pack"]:checked, [name="pack"]');
      }}>${l.t('changePack')}</button>
      <button type="button" class="button" @click=${() => h.goTo('confirm')}>${l.t('noThanks')}</button>
    </div>`;
}

/** "No thanks" says what it does before it does it: no renewal at the term's end, the credits kept. */
function confirmStop(h: OfferHost) {
  const l = h.l10n;
  return html`<h2 id="offer-title" part="title">${l.t('stopTitle')}</h2>
    <p id="offer-text">${l.t('stopText')}</p>
    <div class="actions" part="actions">
      <button type="button" class="button primary" @click=${() => h.request('no_thanks', h.currentPack?.id)}>${l.t('stopConfirm')}</button>
      <button type="button" class="button" @click=${() => h.goTo('offer')}>${l.t('keep')}</button>
    </div>`;
}

function packList(h: OfferHost) {
  const l = h.l10n;
  const picked = h.packs.find((p) => p.id === h.picked) ?? h.currentPack;
  const { min, max } = picked ? quantityLimits(picked) : { min: 1, max: 1 };
  return html`<h2 id="offer-title" part="title">${l.t('choosePack')}</h2>
    <fieldset class="packs" aria-describedby="offer-text">
      <legend class="visually-hidden">${l.t('choosePack')}</legend>
      ${h.packs.map((p) => html`<label class="pack" part="pack">
        <input type="radio" name="pack" .value=${p.id} .checked=${p.id === picked?.id} @change=${() => (h.picked = p.id)} />
        <span>${packName(h, p)}</span><span class="muted">${packPrice(h, p)}</span>
      </label>`)}
    </fieldset>
    <p id="offer-text" class="muted">${picked ? topUpWith(h, picked) : nothing}</p>
    <label class="qty">${l.t('quantityOf', { name: picked ? baseName(h, picked) : '' })}
      <input type="number" min=${min} max=${max} .value=${String(h.quantity)}
        @input=${(e: Event) => {
          // Live, so the Buy button always says what it will charge.
          const n = Number((e.target as HTMLInputElement).value);
          if (Number.isSafeInteger(n) && n >= min && n <= max) h.quantity = n;
        }}
        @change=${(e: Event) => {
          const n = Number((e.target as HTMLInputElement).value);
          h.quantity = Number.isSafeInteger(n) ? Math.min(max, Math.max(min, n)) : min;
        }} /></label>
    <div class="actions" part="actions">
      <button type="button" class="button primary" ?disabled=${!picked} @click=${() => h.request('change_pack', picked?.id)}>
        ${picked ? l.t('buyPack', { pack: packName(h, picked), price: packPrice(h, picked) }) : l.t('choosePack')}</button>
      <button type="button" class="button" @click=${() => h.goTo('offer')}>${l.t('back')}</button>
    </div>`;
}
