import { adoptStyles, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { BackendAdapter, HostedPageView, PaymentMethod, ServerEstimate } from '../../adapter/adapter.js';
import { type AdapterError, asAdapterError } from '../../adapter/errors.js';
import type { Estimate } from '../../core/estimate.js';
import type { Address } from '../../core/schemas/customer.js';
import type { Plan } from '../../core/schemas/plan.js';
import type { PaylitAddonPicker, AddonChoice } from '../addon-picker/addon-picker.js';
import type { PaylitAddress } from '../address/address.js';
import { type CheckoutStep, emit } from '../internal/events.js';
import type { MessageKey } from '../internal/locales/en.js';
import { LocaleController } from '../internal/localize.js';
import { tokens } from '../internal/styles.js';
import { styles } from './checkout.styles.js';

// The pricing engine and the templates load with the hosted page, in parallel with it, once per page.
let engineChunk: Promise<typeof import('../../core/estimate.js')> | undefined;
let viewChunk: Promise<typeof import('./checkout-view.js')> | undefined;
const loadEngine = () => (engineChunk ??= import('../../core/estimate.js'));
const loadView = () => (viewChunk ??= import('./checkout-view.js'));

export const STEP_NAMES: Record<CheckoutStep, MessageKey> = { plan: 'stepPlan', addons: 'stepAddons', address: 'stepAddress', payment: 'stepPayment', review: 'stepReview' };
type Status = 'idle' | 'loading' | 'ready' | 'saving' | 'paying' | 'done' | 'failed';
export type ErrorKey = 'plan' | 'addons' | 'email' | 'coupon' | 'payment' | 'form';

/** What the summary shows: the core's estimate (live), or the server's (for a change to an existing subscription). */
export type SummaryEstimate = Pick<Estimate, 'amount_due_now' | 'invoice_estimate' | 'next_invoice_estimate'> | ServerEstimate;

/**
 * The whole checkout of a hosted page: plan → packs and addons → address → payment → review, as a stepper, or on one
 * page when the element is wide (`layout="auto"`, the default) or asked to (`layout="one-page"`). The order summary is
 * computed live by `src/core`, the same functions the server charges with, so it follows every quantity change
 * without a round trip: line items, event-based charges, setup cost, trial, coupons and tax.
 *
 * Where the plan has `addon_required`, Continue and Pay do nothing until a pack is chosen: a message shows next to
 * the addon picker, a live region announces it, and focus moves to the picker. The same holds after a plan change.
 *
 * Set `adapter` (a `BackendAdapter`, such as `HttpAdapter` with the page's token) and `hosted-page-id`.
 *
 * @summary Checkout.
 * @fires paylit-checkout-step - `{ step, index, previous }` when a step is shown.
 * @fires paylit-checkout-success - `{ hostedPageId, hostedPage, redirectUrl }` once the payment is confirmed.
 * @fires paylit-checkout-error - `{ code, message, param, step }` when the backend refuses or cannot be reached.
 * @csspart base - The wrapper.
 * @csspart stepper - The list of steps.
 * @csspart step - One step's section.
 * @csspart actions - The Back / Continue / Pay buttons.
 * @csspart continue-button - Continue.
 * @csspart pay-button - Pay.
 * @csspart summary - The order summary.
 * @csspart total - The amount due today.
 * @csspart coupon - The coupon form.
 * @csspart error - An error message.
 * @csspart status - Loading and success panels.
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
export class PaylitCheckout extends LitElement {
  static override styles = [tokens, styles];
  /** @internal */
  readonly l10n = new LocaleController(this);

  /** The backend to talk to (required). */
  @property({ attribute: false }) adapter?: BackendAdapter;
  /** The hosted page to complete (required). */
  @property({ attribute: 'hosted-page-id', reflect: true }) hostedPageId = '';
  @property({ reflect: true }) locale?: string;
  @property({ reflect: true }) theme?: 'light' | 'dark';
  /** `auto` (one page when at least 880 px wide), `steps` or `one-page`. */
  @property({ reflect: true }) layout: 'auto' | 'steps' | 'one-page' = 'auto';

  @state() status: Status = 'idle';
  @state() view?: HostedPageView;
  @state() loadError?: AdapterError;
  @state() planId = '';
  @state() addons: AddonChoice[] = [];
  @state() couponIds: string[] = [];
  @state() address: Address = {};
  @state() email = '';
  @state() stepIndex = 0;
  @state() wide = false;
  @state() errors: Partial<Record<ErrorKey, string>> = {};
  @state() addressErrors: Partial<Record<string, string>> = {};
  @state() announcement = '';
  @state() alertText = '';
  @state() paymentComplete = false;
  @state() couponDraft = '';

  @query('paylit-addon-picker') addonPicker?: PaylitAddonPicker;
  @query('paylit-address') addressEl?: PaylitAddress;

  /** The core's estimate functions: a chunk of their own, loaded with the hosted page (pages without a checkout skip it). */
  /** @internal */
  engine?: typeof import('../../core/estimate.js');
  /** @internal */
  ui?: typeof import('./checkout-view.js');
  /** @internal */
  payment?: PaymentMethod | undefined;
  /** @internal */
  loading?: AbortController;
  /** @internal */
  submission?: { token: string | undefined; key: string };
  /** @internal */
  loadedAt = 0;
  /** @internal */
  lastStep?: CheckoutStep;
  /** @internal */
  estimateCache?: { key: string; result: SummaryEstimate | { error: string } };
  /** @internal */
  readonly resize = new ResizeObserver(([e]) => {
    const w = e?.contentRect.width ?? 0;
    if (this.wide !== w >= 880) this.wide = w >= 880;
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.loading?.abort();
    this.payment?.destroy();
    this.payment = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('adapter') || changed.has('hostedPageId')) && this.adapter && this.hostedPageId) void this.load();
  }

  protected override updated(): void {
    this.ui?.afterUpdate(this);
  }

  /** (Re)loads the hosted page. */
  async load(): Promise<void> {
    const adapter = this.adapter;
    if (!adapter || !this.hostedPageId) return;
    this.loading?.abort();
    const ac = (this.loading = new AbortController());
    this.status = 'loading';
    this.loadError = undefined;
    try {
      const [view, engine, ui] = await Promise.all([
        adapter.readHostedPage(this.hostedPageId, { signal: ac.signal }),
        loadEngine(),
        loadView(),
      ]);
      if (ac.signal.aborted) return;
      this.engine = engine;
      if (!this.ui) {
        this.ui = ui;
        adoptStyles(this.renderRoot as ShadowRoot, [...PaylitCheckout.elementStyles, ui.viewStyles]);
      }
      ui.start(this, view, adapter);
    } catch (e) {
      if (ac.signal.aborted) return;
      this.loadError = asAdapterError(e);
      this.status = 'failed';
      emit(this, 'paylit-checkout-error', { code: this.loadError.code, message: this.loadError.message, param: this.loadError.param, step: 'plan' });
    }
  }

  // --------------------------------------------------------------------------------------------- derived state

  /** @internal */
  get plan(): Plan | undefined {
    return this.view?.catalog.plans.find((p) => p.id === this.planId);
  }
  /** @internal */
  get existing(): boolean {
    return this.view?.checkout.kind === 'existing';
  }
  /** @internal */
  get onePage(): boolean {
    return this.layout === 'one-page' || (this.layout === 'auto' && this.wide);
  }
  /** The steps this page shows (empty until the page has loaded). */
  get steps(): CheckoutStep[] {
    return this.ui?.steps(this) ?? [];
  }
  /** The order summary's numbers: live from the core for a new subscription; the server's for a change. */
  get estimate(): SummaryEstimate | { error: string } | undefined {
    return this.ui?.estimate(this);
  }

  /** Pays: checks every step, tokenizes the card (with the bank's challenge if asked), submits once. */
  async pay(): Promise<void> {
    await this.ui?.pay(this);
  }

  // --------------------------------------------------------------------------------------------- rendering

  protected override render() {
    const l = this.l10n;
    if (this.ui && this.view && this.status !== 'loading' && this.status !== 'idle' && this.status !== 'failed') return this.ui.renderCheckout(this);
    const failed = this.status === 'failed';
    return html`<div part="base" dir=${l.dir} lang=${l.locale} aria-busy=${failed ? 'false' : 'true'}>
      ${!this.adapter || !this.hostedPageId
        ? nothing
        : failed
          ? html`<div class="panel" part="status"><p class="error" part="error" role="alert">${l.t('loadFailed')} ${this.loadError?.message ?? ''}</p>
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
