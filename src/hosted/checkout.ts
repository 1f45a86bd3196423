/**
 * The hosted checkout (`/hosted/checkout/{id}#token=..`): `<paylit-checkout>` on the backend's own origin, with the
 * card frame beside it, talking to the embedding page through `embedding.ts`. For `checkout_existing` it also shows
 * the subscription as it is, the change, and what the change is prorated to.
 */
import type { BackendAdapter, HostedPageView, PaymentMethod } from '../adapter/adapter.js';
import { HttpAdapter } from '../adapter/http-adapter.js';
import { deferAddressLists } from '../components/address/address.js';
import '../components/address/define.js';
import { PaylitCheckout, provideCheckoutView } from '../components/checkout/checkout.js';
import { checkoutView } from '../components/checkout/checkout-view.js';
import { brand, embedding, follow, notice, REFUSED } from './embedding.js';
import { CHARGE_TIMEOUT_MS } from '../components/internal/events.js';
import type {} from './checkout-early.js';

// The checkout element without `checkout/define.ts`, which registers the addon picker with it: here the checkout's
// view (checkout-view.ts, below) registers the picker, which it renders (the picker, its pricing and the view compress
// as one).
customElements.define('paylit-checkout', PaylitCheckout);
// The checkout's view (its templates, the controller, the pricing engine, the addon picker), in this page's own script:
// the page's data is asked for by checkout-early.js, not by this script, so nothing waits for the view but the first
// render, which needs it. It is evaluated with this script while the data is in flight; loaded with `import()` beside
// the data instead, it was evaluated after the data had come in, some tasks late (its modulepreload had fetched it
// already), and it was a file of its own, which compressed apart. (The address form stays a chunk of its own, shared
// with the portal, which loads it when it shows an address; its modulepreload brings it beside this script.)
provideCheckoutView(checkoutView);

const e = embedding();
const id = decodeURIComponent(location.pathname.split('/').pop() ?? '');
const token = e.params.get('token');

if (!e.allowed) notice(REFUSED);
else if (!token) {
  notice('This checkout link is incomplete: open the checkout again from the shop.', 'Checkout');
  e.post('ready');
  e.post('loaded');
  e.post('error', { code: 'invalid_link', message: 'The checkout link has no token.', fatal: true });
} else start(token);

/**
 * `fetch`, but the first read of this page's data takes the request checkout-early.ts made with this token as the
 * page's head was parsed (the same request), once; the adapter treats its answer as its first attempt's (a timeout or
 * an abort of that attempt still ends it). Every other request, and a retry, goes to the network.
 */
function earlyFetch(token: string): typeof fetch {
  let e = window.paylitEarly?.token === token ? window.paylitEarly : undefined;
  return (input, init = {}) => {
    const { signal } = init;
    if (!e || init.method !== 'GET' || String(input) !== e.url) return fetch(input, init);
    const r = e.response;
    e = undefined;
    return new Promise<Response>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      if (signal?.aborted) reject(signal.reason as Error);
      r.then(resolve, reject);
    });
  };
}

function start(token: string): void {
  const http = new HttpAdapter({ baseUrl: location.origin, hostedPageToken: token }, earlyFetch(token));
  const current = document.createElement('section');
  current.className = 'current';
  current.hidden = true;
  // Only a change to an existing subscription shows it, so a new customer's checkout never downloads it.
  const show = (v: HostedPageView) => (v.checkout.kind === 'existing' ? void import('./current.js').then((m) => m.renderCurrent(current, v, e.locale)) : (current.hidden = true));
  // The card frame costs this frame's main thread 15–30 ms before it shows anything: inserting an iframe makes a
  // document at once, then its own page commits and its script runs. `loaded` never waited for it, but before
  // `loaded` that work delayed the checkout's own first render and layout. So until `loaded` is posted the first
  // card frame is kept out of the document, an empty box of its size in its place (checkout-view.styles.ts).
  let startCard: (() => void) | undefined;
  // The checkout's own adapter, watched: every view it receives refreshes the panel of the current subscription.
  const adapter: BackendAdapter = Object.assign(Object.create(http) as HttpAdapter, {
    readHostedPage: (pid: string, o?: { signal?: AbortSignal }) => http.readHostedPage(pid, o).then((v) => (show(v), v)),
    saveHostedPage: (pid: string, c: Parameters<HttpAdapter['saveHostedPage']>[1], o?: { signal?: AbortSignal }) => http.saveHostedPage(pid, c, o).then((v) => (show(v), v)),
    paymentMethod: (pid: string) => {
      const card = http.paymentMethod(pid);
      if (!card || loaded) return card;
      // The checkout renders a box that stays its element for good, and the frame goes into it. (Swapping the box
      // for the frame behind Lit's back made the next render, at the customer's first keystroke, take the frame out
      // and put it back: a moved iframe reloads, and the card number being typed was lost.)
      const box = document.createElement('div');
      box.part.add('card-frame');
      startCard = () => box.append(card.element);
      return {
        element: box,
        get complete() { return card.complete; },
        get onChange() { return card.onChange; },
        set onChange(f) { card.onChange = f; },
        tokenize: () => card.tokenize(),
        authenticate: (token, outcome) => card.authenticate(token, outcome),
        focus: () => card.focus(),
        localize: (...a) => card.localize?.(...a),
        check: () => card.check?.(),
        reset: () => card.reset(),
        destroy: () => (card.destroy(), box.remove()),
      } satisfies PaymentMethod;
    },
  });

  const el = document.createElement('paylit-checkout') as PaylitCheckout;
  if (e.locale) el.setAttribute('locale', e.locale);
  // In the modal, the success screen offers the way back to the shop: the modal closes (inline, the shop is around it).
  el.closable = e.framed && e.params.get('embed') === 'modal';
  el.addEventListener('paylit-checkout-close', () => e.post('close'));
  el.hostedPageId = id;
  el.adapter = adapter;
  // The address form's 249 countries (and a country's regions) come after `loaded`, with the card frame: until then
  // its lists hold the chosen one, which is what each select shows (address.ts).
  let lists!: () => void;
  deferAddressLists(new Promise<void>((r) => (lists = r)));
  let status = '';
  let loaded = false;
  // The element's states, as the host needs them: `loaded` once the page has settled (so a first click lands where
  // it was aimed), and closing locked only while a charge is in flight, and never longer than the charge may take.
  el.addController({
    hostUpdated() {
      if (el.status === status) return;
      const was = status;
      status = el.status;
      if (!loaded && status !== 'loading' && status !== 'idle') {
        loaded = true;
        void settled(el).then(() => {
          e.post('loaded', { height: Math.ceil(document.body.getBoundingClientRect().height) });
          // A task later: a shop on this frame's site shares its main thread, and takes `loaded` first. The address's
          // full lists a task after the card frame's start (each a task of its own, so a first click is not held up).
          setTimeout(() => {
            startCard?.();
            setTimeout(lists);
          });
        });
      }
      if (status === 'charging' || was === 'charging') e.post('lock', { locked: status === 'charging', ms: CHARGE_TIMEOUT_MS + 5000 });
    },
  });
  el.addEventListener('paylit-checkout-step', (ev) => e.post('step', { step: ev.detail.step }));
  // Only what ends the checkout goes to the shop's error callback; a declined card is the customer's to fix, here.
  el.addEventListener('paylit-checkout-error', (ev) => ev.detail.fatal && e.post('error', { code: ev.detail.code, message: ev.detail.message }));
  el.addEventListener('paylit-checkout-success', (ev) => {
    const { hostedPage: p, redirectUrl } = ev.detail;
    e.post('success', { hosted_page_id: ev.detail.hostedPageId, hosted_page: { id: p.id, type: p.type, state: p.state }, ...(redirectUrl && { redirect_url: redirectUrl }) });
    // On a page of its own (full-page mode) the customer goes back to the shop.
    if (!e.framed && redirectUrl) location.assign(redirectUrl);
  });
  brand();
  document.body.append(current, el);
  follow(e);
}

/**
 * The checkout and what it holds have rendered (the address rules too), within 3 s. The card frame is not waited
 * for: the checkout gives it its height before it loads (checkout-view.styles.ts). Then one task, for what those
 * updates queued; not an animation frame: the host keeps the frame hidden until `loaded`, and Chromium runs no
 * animation frames in a hidden frame of another site than the shop's, so `loaded` would never come. The height
 * posted with it is measured by a layout read, which needs no frame either.
 */
async function settled(el: PaylitCheckout): Promise<void> {
  const all = async () => {
    await el.updateComplete;
    await Promise.all([...el.renderRoot.querySelectorAll('*')].map((x) => (x as Partial<PaylitCheckout>).updateComplete));
  };
  await Promise.race([all(), new Promise((r) => setTimeout(r, 3000))]);
  await new Promise((r) => setTimeout(r));
}
