import type { ReactiveController, ReactiveElement } from 'lit';
import * as z from 'zod/mini';
import type { BackendAdapter, HostedPageView, PaymentMethod, ServerEstimate } from '../../adapter/adapter.js';
import { type Paid, paidSchema } from '../../adapter/paid.js';
import { AdapterError, asAdapterError, idempotencyKey } from '../../adapter/errors.js';
import { isCardReason } from '../../core/card-reasons.js';
import { type Cart, cartChoices, cartEstimateInput, type CartLine, type CartRules, missingPack, openCart } from '../../core/cart.js';
import { PaylitValidationError } from '../../core/errors.js';
import { type Estimate, estimateNewSubscription } from '../../core/estimate-new.js';
import type { Address } from '../../core/schemas/address.js';
import type { Plan } from '../../core/schemas/plan.js';
import { CHARGE_TIMEOUT_MS, type CheckoutStep, emit } from '../internal/events.js';
import type { CheckoutHost } from './checkout-host.js';

/** What the summary shows: the core's estimate (live), or the server's (for a change to an existing subscription). */
export type SummaryEstimate = Pick<Estimate, 'amount_due_now' | 'invoice_estimate' | 'next_invoice_estimate'> | ServerEstimate;
/**
 * `ready`: the form; `paying`: the card is being tokenized; `challenge`: the bank's 3-D Secure challenge is open;
 * `charging`: the submit is in flight (the only time the host may not close); `done`; `ended`: the page cannot be used
 * (expired, completed elsewhere: `endedBy` says which).
 */
export type FlowStatus = 'ready' | 'saving' | 'paying' | 'challenge' | 'charging' | 'done' | 'ended';
export type ErrorKey = 'addons' | 'email' | 'coupon' | 'payment' | 'form';

const emailSchema = z.email();

/** The gateway's decline codes the checkout's catalogs word (src/server/payments/gateway.ts's English). */
const DECLINES: Record<string, 'declined' | 'noFunds' | 'authFailed' | undefined> = { card_declined: 'declined', insufficient_funds: 'noFunds', authentication_failed: 'authFailed' };

/**
 * The checkout's state and its remote work: the page, the cart (core's model), the estimate, and the runs that save
 * a coupon and pay. A new run of a kind aborts the one before it. The view renders from here and calls back here;
 * the element holds nothing but this.
 */
export class CheckoutController implements ReactiveController {
  status: FlowStatus = 'ready';
  view!: HostedPageView;
  cart!: Cart;
  errors: Partial<Record<ErrorKey, string>> = {};
  addressErrors: Partial<Record<string, string>> = {};
  /** The polite and the urgent live regions. */
  announcement = '';
  alertText = '';
  couponDraft = '';
  /** Whether the summary is unfolded on a narrow checkout (a phone); a wide one always shows it. */
  summaryOpen = false;
  paymentComplete = false;
  /** What the payment just made, as the server answered (the invoice, the customer's email): the success screen's. */
  paid?: Paid | undefined;
  /** The code the checkout ended with (`hosted_page_completed`: paid, nothing wrong; else it cannot go on). */
  endedBy = '';
  /** Whether the payment message is a card field's, which the field takes back once it is right. */
  private fieldError = false;
  /** The card token whose 3-D Secure challenge is open. */
  challenge?: string | undefined;
  payment?: PaymentMethod | undefined;
  private adapter!: BackendAdapter;
  private loadedAt = 0;
  private submission?: { token: string | undefined; key: string } | undefined;
  private runs = new Map<string, AbortController>();
  private estimateCache?: { key: string; result: SummaryEstimate | { error: string } };
  private challengeAnswer?: ((outcome: 'complete' | 'fail') => void) | undefined;
  private step?: CheckoutStep;

  constructor(readonly host: CheckoutHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.runs.forEach((r) => r.abort());
    this.payment?.destroy();
    this.payment = undefined;
  }

  hostUpdated(): void {
    this.syncChallenge();
    const step: CheckoutStep = this.status === 'done' ? 'complete' : this.status === 'challenge' ? 'authentication' : 'checkout';
    if (this.status !== 'ended' && step !== this.step) {
      const previous = this.step;
      this.step = step;
      emit(this.host, 'paylit-checkout-step', { step, previous });
    }
  }

  /**
   * The challenge dialog opens and closes with the state. Its box goes in the middle of the part of this frame the
   * customer sees (the frame can be taller than the screen: the modal on a phone, a checkout mounted inline), which
   * an IntersectionObserver gives even across origins; focus moves into it once it is there.
   */
  private syncChallenge(): void {
    const d = this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.challenge');
    if (!d) return;
    if (this.challenge && !d.open) {
      d.showModal();
      const box = d.firstElementChild as HTMLElement;
      const io = new IntersectionObserver(([e]) => {
        io.disconnect();
        const seen = e!.intersectionRect;
        box.style.marginTop = `${String(Math.max(seen.top + 8, seen.top + (seen.height - box.offsetHeight) / 2))}px`;
        d.querySelector<HTMLElement>('[data-first]')?.focus();
      });
      io.observe(document.documentElement);
    } else if (!this.challenge && d.open) d.close();
  }

  /** Takes a freshly loaded page: its cart, the card entry; or the reason it cannot be used. */
  start(view: HostedPageView, adapter: BackendAdapter): void {
    this.view = view;
    this.adapter = adapter;
    this.loadedAt = Date.now();
    this.cart = openCart(view.checkout, this.plan, view.catalog.addons, view.customer);
    // Folded on a phone, unless the customer has something to do there first: choose the pack the plan requires.
    this.summaryOpen = missingPack(this.cart, this.plan);
    this.errors = {};
    this.payment?.destroy();
    this.payment = adapter.paymentMethod?.(this.host.hostedPageId);
    if (this.payment) {
      // The card frame's labels in the checkout's language, once its catalog is in (before the frame shows its fields).
      const l = this.host.l10n;
      void l.ready().then(() => this.payment?.localize?.(l.locale, l.dir, { card: l.t('cardDetails'), number: l.t('cardNumber'), expiry: l.t('cardExpiry'), cvc: l.t('cardCvc'), mmyy: l.t('cardMmyy') }));
      // A field's problem once the customer has finished it (the frame's rule), said by the card as Pay says it.
      // Pressing Pay takes focus from the field the customer was in, and the frame judges that field at once: its
      // message, appearing or going above Pay, would move Pay from under the pointer before the release, and the
      // click would land beside it. So news that comes while anything is held down waits for the release (and only
      // the latest is applied).
      let latest: unknown;
      this.payment.onChange = (s) => {
        const apply = () => {
          if (s !== latest) return;
          if (document.documentElement.matches(':active')) return void setTimeout(apply, 50);
          this.paymentComplete = s.complete;
          const message = s.error && this.cardMessage(s.error);
          if (message && message !== this.errors.payment) {
            this.fieldError = true;
            this.setError('payment', message);
            if (this.status === 'ready') this.announce(message);
          } else if (!message && this.errors.payment && (s.complete || this.fieldError)) this.setError('payment', undefined);
          this.host.requestUpdate();
        };
        latest = s;
        apply();
      };
    }
    const state = view.hosted_page.state;
    if (state !== 'created' && state !== 'requested') this.end('hosted_page_completed');
    else if (view.hosted_page.expires_at <= view.now) this.end('hosted_page_expired');
    else this.status = 'ready';
    this.host.requestUpdate();
  }

  // ------------------------------------------------------------------------------------------- derived state

  get plan(): Plan | undefined {
    return this.view.catalog.plans.find((p) => p.id === this.view.checkout.plan_id);
  }
  get existing(): boolean {
    return this.view.checkout.kind === 'existing';
  }
  get rules(): CartRules {
    return { existing: this.existing, emailKnown: this.existing || !!this.view.customer.email, addressLocked: !!this.view.customer.billing_address_locked };
  }
  get merchant(): string {
    return this.view.site?.display_name ?? '';
  }
  /** Whether the adapter can fetch the paid invoice's PDF (the success screen's Download). */
  get canDownload(): boolean {
    return !!this.adapter.invoicePdf;
  }
  get busy(): boolean {
    return this.status !== 'ready';
  }

  /** The order summary's numbers: live from the core for a new subscription; the server's for a change. */
  get estimate(): SummaryEstimate | { error: string } | undefined {
    const v = this.view;
    if (this.existing) return v.estimate ?? (v.estimate_error ? { error: v.estimate_error.message } : undefined);
    const plan = this.plan;
    if (!plan) return undefined;
    // The site clock the server gave, moved on by the time this page has been open.
    const now = v.now + Math.floor((Date.now() - this.loadedAt) / 1000);
    const c = this.cart;
    const key = JSON.stringify([c.addons, c.couponIds, c.address.country, c.address.state_code, v.coupons.length, Math.floor(now / 3600)]);
    if (this.estimateCache?.key === key) return this.estimateCache.result;
    let result: SummaryEstimate | { error: string };
    try {
      result = estimateNewSubscription(cartEstimateInput(c, plan, v.coupons), {
        addons: v.catalog.addons,
        taxProfile: v.tax_profile ?? undefined,
        billingAddress: c.address,
        taxExempt: v.customer.taxability === 'exempt',
        now,
      });
    } catch (e) {
      result = { error: e instanceof PaylitValidationError ? (e.errors[0]?.message ?? e.message) : String(e) };
    }
    this.estimateCache = { key, result };
    return result;
  }

  get amountDue(): number {
    const e = this.estimate;
    return e && !('error' in e) ? e.amount_due_now : 0;
  }

  /**
   * Nothing to pay now, so no card: a free plan or a trial. Not while the plan still needs a pack: the pack is paid
   * for, so the card field stays in sight rather than a "nothing to pay" that choosing the pack would take back.
   */
  get free(): boolean {
    return this.amountDue === 0 && !missingPack(this.cart, this.plan);
  }

  money(minor: number): string {
    return this.host.l10n.money(minor, this.plan?.currency_code ?? this.view.subscription?.currency_code ?? 'USD');
  }

  // ------------------------------------------------------------------------------------------- edits

  private update(next: Partial<Cart>): void {
    this.cart = { ...this.cart, ...next };
    this.host.requestUpdate();
  }
  setAddons(addons: readonly CartLine[]): void {
    this.update({ addons });
    if (!missingPack(this.cart, this.plan)) this.setError('addons', undefined);
  }
  setEmail(email: string): void {
    this.update({ email });
    if (this.errors.email) this.setError('email', undefined);
  }
  setAddress(address: Address): void {
    this.update({ address });
  }
  toggleSummary(): void {
    this.summaryOpen = !this.summaryOpen;
    this.host.requestUpdate();
  }

  setError(key: ErrorKey, message: string | undefined): void {
    this.errors = { ...this.errors, [key]: message };
    this.host.requestUpdate();
  }

  announce(text: string, urgent = false): void {
    // Cleared first, so the same message is announced again when it repeats.
    if (urgent) this.alertText = '';
    else this.announcement = '';
    this.host.requestUpdate();
    requestAnimationFrame(() => {
      if (urgent) this.alertText = text;
      else this.announcement = text;
      this.host.requestUpdate();
    });
  }

  /** A new run of `kind`: the previous one is aborted. */
  private run(kind: string): AbortSignal {
    this.runs.get(kind)?.abort();
    const ac = new AbortController();
    this.runs.set(kind, ac);
    return ac.signal;
  }

  /** Ends the checkout: the page is done or gone. A paid or expired page says so in the customer's language. */
  private end(code: string, message = ''): void {
    message = code === 'hosted_page_completed' ? this.host.l10n.t('paid') : code === 'hosted_page_expired' ? this.host.l10n.t('expired') : message;
    this.status = 'ended';
    this.endedBy = code;
    this.errors = { form: message };
    emit(this.host, 'paylit-checkout-error', { code, message, step: 'checkout', fatal: true });
  }

  /** Checks the form; on a problem shows it by its field, announces it, focuses the field, and returns false. */
  private check(): boolean {
    const l = this.host.l10n;
    const root = this.host.renderRoot;
    // The packs are in the summary, which a phone shows folded: unfolded to show what is wrong there.
    const picker = root.querySelector<HTMLElement & { checkValidity(): boolean; reportValidity(): boolean }>('paylit-addon-picker');
    const packMissing = missingPack(this.cart, this.plan);
    const pickerInvalid = !!picker && !picker.checkValidity();
    if (packMissing || pickerInvalid) this.summaryOpen = true;
    if (packMissing) {
      this.setError('addons', l.t('packRequired'));
      this.announce(l.t('packRequired'), true);
      void this.host.updateComplete.then(() => root.querySelector<HTMLElement>('paylit-addon-picker')?.focus());
      return false;
    }
    if (pickerInvalid) {
      this.host.requestUpdate();
      void this.host.updateComplete.then(() => (picker!.reportValidity(), picker!.focus()));
      return false;
    }
    let ok = true;
    const address = root.querySelector<HTMLElement & { checkValidity(): boolean; reportValidity(): boolean }>('paylit-address');
    if (!this.rules.emailKnown && !emailSchema.safeParse(this.cart.email.trim()).success) {
      this.setError('email', l.t('invalidEmail'));
      ok = false;
    }
    const emailWrong = !ok;
    if (!this.rules.addressLocked && address && !address.checkValidity()) {
      address.reportValidity();
      ok = false;
    }
    // The first wrong field has focus: the email, above the address, when it is wrong (after the address's own focus,
    // which reportValidity asked for first).
    if (emailWrong) void Promise.all([this.host.updateComplete, (address as Partial<ReactiveElement> | null)?.updateComplete]).then(() => root.querySelector<HTMLElement>('#email')?.focus());
    if (!ok) {
      this.announce(l.t('fixErrors'), true);
      // The card is judged with the rest (its fields marked, its first problem said by it), as Pay would.
      if (this.amountDue > 0) this.payment?.check?.();
      return false;
    }
    // An incomplete or wrong card is the card frame's to judge (core's checkCard): Pay asks it, and it says which field.
    if (this.amountDue > 0 && !this.payment) {
      this.paymentError(l.t('paymentNotSetUp'));
      return false;
    }
    return true;
  }

  /** A card field's problem in the customer's language (core's reason names its message); any other as it came. */
  private cardMessage(err: AdapterError): string {
    return isCardReason(err.code) ? this.host.l10n.t(err.code) : err.message;
  }

  /**
   * A message by the card: shown, scrolled into view with Pay below it, announced, and the card focused (the field
   * at fault, if one is).
   */
  private paymentError(message: string, field = false): void {
    this.fieldError = field;
    this.setError('payment', message);
    this.announce(message, true);
    void this.host.updateComplete.then(() => {
      const show = () => ['.pay', '#payment-error'].forEach((s) => this.host.renderRoot.querySelector(s)?.scrollIntoView({ block: 'nearest' }));
      show();
      // A frame that follows its content's height grows by the message a moment later: once more when it has.
      addEventListener('resize', show, { once: true, signal: AbortSignal.timeout(1000) });
      this.payment?.focus();
    });
  }

  /** Puts a backend error next to its field; a fatal one (the page is gone or done) ends the checkout. */
  private failure(e: unknown): void {
    const err = asAdapterError(e);
    const l = this.host.l10n;
    if (err.code === 'hosted_page_completed' || err.code === 'hosted_page_expired' || err.status === 401 || err.status === 404) return this.end(err.code, err.message);
    // A decline the customer's language has words for is said in them (the server's message is English).
    const decline = DECLINES[err.declineCode ?? ''];
    const message = decline ? l.t(decline) : err.code === 'payment_processing_failed' && !err.message ? l.t('declined') : err.message;
    const t = err.target;
    if (t.group === 'address' && t.field) this.addressErrors = { ...this.addressErrors, [t.field]: message };
    else if (t.group === 'customer') this.setError('email', message);
    else if (t.group === 'addons' || t.group === 'plan') this.setError('addons', message);
    else if (t.group === 'coupon') this.setError('coupon', message);
    // Declines, a failed challenge, the card frame's own errors, and a connection that failed after the retries.
    else if (t.group === 'payment' || err.status === 402 || err.status === 0) {
      const field = isCardReason(err.code);
      const said = field ? this.cardMessage(err) : message;
      return void (this.paymentError(said, field), this.emitError(err, said));
    }
    else this.setError('form', message);
    this.announce(message, true);
    this.emitError(err, message);
  }

  private emitError(err: AdapterError, message: string): void {
    emit(this.host, 'paylit-checkout-error', { code: err.code, message, param: err.param, step: 'checkout', fatal: false });
  }

  // ------------------------------------------------------------------------------------------- runs

  async applyCoupon(): Promise<void> {
    const code = this.couponDraft.trim();
    if (!code || this.status !== 'ready' || this.cart.couponIds.includes(code)) return;
    const signal = this.run('save');
    this.status = 'saving';
    this.setError('coupon', undefined);
    try {
      const view = await this.adapter.saveHostedPage(this.host.hostedPageId, { ...cartChoices(this.cart, this.rules), coupon_ids: [...this.cart.couponIds, code] }, { signal });
      this.view = { ...view, checkout: this.view.checkout };
      this.update({ couponIds: view.checkout.coupon_ids ?? [...this.cart.couponIds, code] });
      this.couponDraft = '';
      this.announce(this.host.l10n.t('couponApplied', { code }));
    } catch (e) {
      if (signal.aborted) return;
      const message = asAdapterError(e).message;
      this.setError('coupon', message);
      this.announce(message, true);
    } finally {
      if (this.status === 'saving') this.status = 'ready';
      this.host.requestUpdate();
    }
  }

  removeCoupon(id: string): void {
    this.update({ couponIds: this.cart.couponIds.filter((c) => c !== id) });
  }

  /** Pays: checks the form, tokenizes the card (with the bank's challenge if asked), submits once. */
  async pay(): Promise<void> {
    if (this.status !== 'ready' || !this.check()) return;
    const l = this.host.l10n;
    const signal = this.run('pay');
    this.status = 'paying';
    // A field's problem stays while the frame checks the card again (it is still wrong, or the field would have taken it back).
    this.errors = { ...this.errors, form: undefined, payment: this.fieldError ? this.errors.payment : undefined };
    this.announce(l.t('paying'));
    try {
      let token: string | undefined;
      if (this.amountDue > 0) {
        if (!this.payment) throw new AdapterError(l.t('paymentNotSetUp'), 0, 'card_invalid', 'card');
        const card = await this.payment.tokenize();
        if (card.authentication === 'required') {
          const outcome = await this.askBank(card.id);
          await this.payment.authenticate(card.id, outcome);
          if (outcome !== 'complete') throw new AdapterError(l.t('authFailed'), 402, 'authentication_failed', 'card_token');
        }
        token = card.id;
      }
      // One key per submission: a repeated click or a retried request with the same card is charged once.
      const prior = this.submission;
      const key = prior && token && prior.token === token ? prior.key : idempotencyKey();
      this.submission = { token, key };
      this.status = 'charging';
      this.host.requestUpdate();
      const result = await this.adapter.submitHostedPage(this.host.hostedPageId, cartChoices(this.cart, this.rules), {
        idempotencyKey: key,
        cardToken: token,
        signal: AbortSignal.any([signal, AbortSignal.timeout(CHARGE_TIMEOUT_MS)]),
      });
      this.status = 'done';
      const paid = paidSchema.safeParse(result.hosted_page.content);
      this.paid = paid.success ? paid.data : undefined;
      this.view = { ...this.view, hosted_page: result.hosted_page };
      // The success screen's heading takes the focus (the form it replaced had it), once it is drawn.
      this.host.requestUpdate();
      void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('.paid h2')?.focus());
      this.announce(l.t(this.amountDue > 0 ? 'success' : 'successTrial'));
      emit(this.host, 'paylit-checkout-success', { hostedPageId: this.host.hostedPageId, hostedPage: result.hosted_page, redirectUrl: result.redirect_url });
    } catch (e) {
      if (signal.aborted && this.status !== 'charging') return;
      this.status = 'ready';
      this.challenge = undefined;
      const err = asAdapterError(e);
      // A declined card: the next card is a new submission. A lost answer keeps the key, so a retry charges once.
      if (err.status !== 0) this.submission = undefined;
      this.failure(signal.aborted ? new AdapterError(l.t('timeout'), 0, 'timeout') : e);
    } finally {
      this.host.requestUpdate();
    }
  }

  /** The success screen's Download: the paid invoice's PDF, fetched from a short-lived link (the backend's origin). */
  async downloadInvoice(): Promise<void> {
    try {
      const a = document.createElement('a');
      a.href = await this.adapter.invoicePdf!(this.host.hostedPageId);
      a.download = '';
      a.click();
    } catch (e) {
      const message = asAdapterError(e).message;
      this.setError('form', message);
      this.announce(message, true);
    }
  }

  /** The success screen's way back to the shop: the host (the hosted page in the modal) closes it. */
  close(): void {
    emit(this.host, 'paylit-checkout-close', {});
  }

  /** Opens the bank's challenge over the checkout; resolves with the customer's answer (Escape or Cancel: fail). */
  private askBank(tokenId: string): Promise<'complete' | 'fail'> {
    this.status = 'challenge';
    this.challenge = tokenId;
    this.host.requestUpdate();
    return new Promise((resolve) => {
      this.challengeAnswer = (outcome) => {
        this.challengeAnswer = undefined;
        this.challenge = undefined;
        this.status = 'paying';
        this.host.requestUpdate();
        resolve(outcome);
      };
    });
  }

  answerChallenge(outcome: 'complete' | 'fail'): void {
    this.challengeAnswer?.(outcome);
  }
}
