import { adoptStyles, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { BackendAdapter } from '../../adapter/adapter.js';
import { type AdapterError, asAdapterError } from '../../adapter/errors.js';
import { loadAddressForm } from '../address/address.js';
import { emit } from '../internal/events.js';
import { LocaleController } from '../internal/localize.js';
import { tokens } from '../internal/styles.js';
import type { CheckoutController, FlowStatus } from './checkout-controller.js';
import type { CheckoutHost } from './checkout-host.js';
import { styles } from './checkout.styles.js';

// The cart model, the controller, the pricing engine and the templates load with the hosted page, in parallel with
// it, once per page: pages that use only the pickers or the credit balance never download them. One chunk (the
// controller imports the engine): they are always loaded together, and one file compresses better than two.
type CheckoutView = (typeof import('./checkout-view.js'))['checkoutView'];
let viewChunk: Promise<CheckoutView> | undefined;
const loadView = () => (viewChunk ??= import('./checkout-view.js').then((m) => m.checkoutView));
/**
 * The view given by a page that imports it itself (the hosted checkout, whose page's data is asked for by its own
 * early script): the first render after the data then needs no chunk and no `import()`, whose module is evaluated
 * some tasks after it is asked for.
 */
export function provideCheckoutView(view: CheckoutView): void {
  viewChunk = Promise.resolve(view);
}

/**
 * The checkout of a hosted page, on one page: whom the customer pays, the cart (the page's plan, the packs and
 * addons that plan allows, with their quantities), contact, billing address, the card and Pay, with the order
 * summary beside the form when the element is wide and collapsed at the top when it is narrow. The summary is
 * computed live by `src/core`, the same functions the server charges with: line items, event-based charges, setup
 * cost, trial, coupons and tax.
 *
 * Where the plan has `addon_required`, Pay does nothing until a pack is chosen: a message shows next to the packs, a
 * live region announces it, and focus moves there. The bank's 3-D Secure challenge opens over the checkout (a modal
 * dialog: Escape or Cancel leaves it, as a failed challenge); a declined card is shown next to the card.
 *
 * Set `adapter` (a `BackendAdapter`, such as `HttpAdapter` with the page's token) and `hosted-page-id`.
 *
 * @summary Checkout.
 * @fires paylit-checkout-step - `{ step, previous }`: `checkout`, `authentication` (the bank's challenge), `complete`.
 * @fires paylit-checkout-success - `{ hostedPageId, hostedPage, redirectUrl }` once the payment is confirmed.
 * @fires paylit-checkout-error - `{ code, message, param, step, fatal }`: fatal when the checkout cannot go on.
 * @fires paylit-checkout-close - The success screen's "Return to {shop}" was pressed (with `closable`).
 * @csspart base - The wrapper.
 * @csspart header - Whom the customer pays: the logo and the name.
 * @csspart summary - The order summary.
 * @csspart total - The amount due today.
 * @csspart coupon - The coupon form.
 * @csspart pay-button - Pay.
 * @csspart challenge - The bank's 3-D Secure challenge.
 * @csspart error - An error message.
 * @csspart status - Loading and success panels.
 * @csspart return-button - The success screen's way back to the shop (with `closable`).
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
export class PaylitCheckout extends LitElement implements CheckoutHost {
  static override styles = [tokens, styles];
  static override properties: PropertyDeclarations = {
    adapter: { attribute: false },
    hostedPageId: { attribute: 'hosted-page-id', reflect: true },
    locale: { reflect: true },
    theme: { reflect: true },
    closable: { type: Boolean },
  };
  /** @internal */
  readonly l10n = new LocaleController(this);

  /** The backend to talk to (required). */
  adapter?: BackendAdapter;
  /** The hosted page to complete (required). */
  hostedPageId = '';
  locale?: string;
  theme?: 'light' | 'dark';
  /** Once paid, offer "Return to {shop}", which fires `paylit-checkout-close` (the host closes the checkout). */
  closable = false;

  #loading?: AbortController;
  #state: 'idle' | 'loading' | 'failed' = 'idle';
  #loadError?: AdapterError;
  #ui?: CheckoutView;
  #flow?: CheckoutController;

  /** Where the checkout is: `idle`, `loading`, `failed` (could not load), then the flow's status. */
  get status(): 'idle' | 'loading' | 'failed' | FlowStatus {
    return this.#state === 'idle' && this.#flow ? this.#flow.status : this.#state;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('adapter') || changed.has('hostedPageId')) && this.adapter && this.hostedPageId) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#loading?.abort();
  }

  /** (Re)loads the hosted page; a new load aborts the one before. */
  async load(): Promise<void> {
    const adapter = this.adapter;
    if (!adapter || !this.hostedPageId) return;
    this.#loading?.abort();
    const ac = (this.#loading = new AbortController());
    this.#state = 'loading';
    this.requestUpdate();
    try {
      const data = adapter.readHostedPage(this.hostedPageId, { signal: ac.signal });
      // A task later, what the first render will need is made while the data is on its way; once, for the first load.
      if (!this.#ui) void loadView().then((ui) => setTimeout(ui.prepare));
      // The address form's chunk with them, and in before the first render: the form then renders its fields in the
      // same pass as the checkout, rather than an empty fieldset first and the fields a task (and a layout) later.
      const [view, ui] = await Promise.all([data, loadView(), loadAddressForm()]);
      if (ac.signal.aborted) return;
      if (!this.#ui) {
        this.#ui = ui;
        adoptStyles(this.renderRoot as ShadowRoot, [...PaylitCheckout.elementStyles, ui.viewStyles]);
      }
      this.#flow ??= new ui.CheckoutController(this);
      this.#state = 'idle';
      this.#flow.start(view, adapter);
    } catch (e) {
      if (ac.signal.aborted) return;
      this.#loadError = asAdapterError(e);
      this.#state = 'failed';
      this.requestUpdate();
      const { code, message, param } = this.#loadError;
      emit(this, 'paylit-checkout-error', { code, message, param, step: 'checkout', fatal: true });
    }
  }

  /** Pays: checks the form, tokenizes the card (with the bank's challenge if asked), submits once. */
  async pay(): Promise<void> {
    await this.#flow?.pay();
  }

  protected override render() {
    const l = this.l10n;
    if (this.#ui && this.#flow && this.#state === 'idle') return this.#ui.renderCheckout(this.#flow);
    const failed = this.#state === 'failed';
    return html`<div part="base" dir=${l.dir} lang=${l.locale} aria-busy=${failed ? 'false' : 'true'}>
      ${!this.adapter || !this.hostedPageId
        ? nothing
        : failed
          ? html`<div class="panel" part="status"><p class="error" part="error" role="alert">${l.t('loadFailed')} ${this.#loadError?.message ?? ''}</p>
              <button type="button" class="button" @click=${() => void this.load()}>${l.t('retry')}</button></div>`
          : html`<div class="panel" part="status" role="status"><span class="spinner" aria-hidden="true"></span>${l.t('loading')}</div>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paylit-checkout': PaylitCheckout;
  }
}
