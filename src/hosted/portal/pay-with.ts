import { AdapterError, asAdapterError } from '../../adapter/errors.js';
import type { PaymentMethod } from '../../adapter/adapter.js';
import { cardList, type PortalCard } from '../../adapter/portal-schemas.js';
import type { Embedding } from '../embedding.js';
import { button, type Ctx, el, Shown } from './ui.js';

/**
 * The bank's 3-D Secure challenge (the test gateway's): Complete or Fail; Escape or Cancel fail it. While it is open
 * the host hides the modal's close button (the `authentication` step), as for the checkout: the challenge's own
 * Cancel is the way out, and nothing covers its corner.
 */
export function challenge(e: Embedding): Promise<'complete' | 'fail'> {
  e.post('step', { step: 'authentication' });
  return new Promise((resolve) => {
    const d = el('dialog', { class: 'challenge' });
    d.setAttribute('aria-labelledby', 'challenge-title');
    const answer = (o: 'complete' | 'fail') => () => (d.close(), d.remove(), e.post('step', { step: 'portal' }), resolve(o));
    d.addEventListener('cancel', (ev) => (ev.preventDefault(), answer('fail')()));
    // Escape fails the challenge only: prevented here, the frame's own Escape (close the portal) leaves it alone.
    d.addEventListener('keydown', (ev) => ev.key === 'Escape' && (ev.preventDefault(), answer('fail')()));
    d.append(
      el('h2', { id: 'challenge-title', textContent: 'Confirm with your bank' }),
      el('p', { textContent: 'Your bank asks you to confirm this card.' }),
      el('p', { class: 'muted', textContent: 'Test mode: choose how the bank answers.' }), // the checkout's words
      el('div', { class: 'actions' }, button('Complete', answer('complete'), 'primary'), button('Fail', answer('fail')), button('Cancel', answer('fail'), 'link')),
    );
    document.body.append(d);
    d.showModal();
    // In the middle of the part of this frame the customer sees (the frame can be taller than the screen).
    const io = new IntersectionObserver(([x]) => {
      io.disconnect();
      const seen = x!.intersectionRect;
      d.style.margin = `${String(Math.max(seen.top + 8, seen.top + (seen.height - d.offsetHeight) / 2))}px auto 0`;
      d.querySelector('button')!.focus();
    });
    io.observe(document.documentElement);
  });
}

/** A card from the frame, confirmed with the bank where the card asks: the token an action pays with. */
export async function newCardToken(frame: PaymentMethod, e: Embedding): Promise<{ id: string; brand: string; last4: string }> {
  const card = await frame.tokenize();
  if (card.authentication === 'required') {
    const outcome = await challenge(e);
    await frame.authenticate(card.id, outcome);
    if (outcome !== 'complete') throw new AdapterError('The card could not be confirmed with your bank. Try again or use another card.', 402, 'authentication_failed', 'card_token');
  }
  return card;
}

/** "Visa •••• 4242". */
const brandLast4 = (brand: string, last4: string) => `${brand.charAt(0).toUpperCase()}${brand.slice(1)} •••• ${last4}`;
export const cardLabel = (p: PortalCard) => (p.card ? brandLast4(p.card.brand, p.card.last4) : p.id);

let made = 0;

/** The "Pay with" choice of an action that pays, and the payment it makes. */
export interface PayWith {
  /** The choice, the card frame it reveals, and its errors: placed just above the action's button. */
  readonly node: HTMLElement;
  /** Shows or hides the choice (an action with nothing due now needs none). */
  show(on: boolean): void;
  /**
   * Pays through `work` with the chosen card (`card_token` only for a new one). A refused card, a wrong field or a
   * failed 3-D Secure is shown here, by the choice, and thrown as `Shown`; a declined card on file offers the new card.
   */
  pay<T>(work: (body: { card_token?: string }) => Promise<T>): Promise<T>;
}

/**
 * Pay with the card on file (the default where there is one) or a new card through the card frame, made only when
 * chosen. Reads the customer's cards once.
 */
export async function payWith(c: Ctx): Promise<PayWith> {
  const { list } = await c.api.portalRequest('payment_sources', cardList);
  const first = list.find((p) => p.primary) ?? list[0];
  let onFile = first && cardLabel(first);
  const n = ++made;
  const node = el('fieldset', { class: 'pay-with' }, el('legend', { textContent: 'Pay with' }));
  const alert = el('p', { class: 'alert' });
  alert.setAttribute('role', 'alert');
  const slot = el('div', { class: 'card-frame', hidden: true });
  let frame: PaymentMethod | undefined;
  const radio = (fresh: boolean) => {
    const input = el('input', { type: 'radio', name: `pay-${String(n)}`, id: `pay-${String(n)}-${String(fresh)}` });
    input.onchange = () => choose(fresh);
    const text = el('span');
    const label = el('label', { class: 'choice', htmlFor: input.id }, input, text);
    node.append(label);
    return { input, text, label };
  };
  const file = radio(false);
  const fresh = radio(true);
  // The server keeps a card that paid as the primary one (renewals charge it): said before the customer chooses it.
  fresh.text.textContent = 'A new card (your card on file from then on)';
  node.append(alert, slot); // the message where the customer looks, the new card's frame below it
  const choose = (isNew: boolean) => {
    fresh.input.checked = isNew;
    file.input.checked = !isNew;
    slot.hidden = !isNew;
    if (isNew && !frame) slot.append((frame = c.api.portalPaymentMethod()!).element); // the portal always has its key
  };
  // The card on file first; with none, the new card's frame under "Pay with", no choice to make.
  const showOnFile = () => {
    file.text.textContent = `Card on file (${onFile ?? ''})`;
    file.label.hidden = fresh.label.hidden = !onFile;
    choose(!onFile);
  };
  showOnFile();
  return {
    node,
    show: (on) => void (node.hidden = !on),
    async pay(work) {
      alert.textContent = '';
      const isNew = node.hidden ? false : fresh.input.checked;
      try {
        if (!(isNew && frame)) return await work({});
        const token = await newCardToken(frame, c.e);
        const done = await work({ card_token: token.id });
        // The server keeps a card that paid as the primary one: it is the card on file from now on.
        onFile = brandLast4(token.brand, token.last4);
        frame.reset();
        showOnFile();
        return done;
      } catch (err) {
        // Declines and a failed 3-D Secure (402), and the card frame's own field errors, belong by the card.
        const a = asAdapterError(err);
        if (a.status !== 402 && !a.param?.startsWith('card')) throw err;
        alert.textContent = !isNew && onFile && a.code === 'payment_processing_failed' ? (choose(true), `Your card on file (${onFile}) was declined. Pay with a new card below.`) : a.message;
        throw new Shown();
      }
    },
  };
}
