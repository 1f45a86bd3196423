import type { CheckoutCallbacks, PaylitError, PortalCallbacks } from './types.js';
import { hostedUrl, isObject, isText, paylitError } from './util.js';

// The modal fits the one-page checkout (about 960 px wide, the summary beside the form) and fills a phone's screen.
// Its top stays 16 px from the window's (not centred): when the page in it grows (a card's error), it grows downward
// and nothing above moves.
const CSS =
  'dialog{padding:0;border:0;border-radius:12px;width:min(960px,100vw - 32px);max-width:none;max-height:calc(100dvh - 32px);margin-top:16px;text-align:center;color-scheme:light dark}dialog::backdrop{background:#000a}' +
  'button{min-height:44px;border:1px solid #8c959f;border-radius:8px;background:Canvas;color:inherit;font:inherit;cursor:pointer}.x{position:absolute;top:8px;right:8px;z-index:1;width:44px;border:0;font-size:24px}' +
  'iframe{display:block;width:100%;height:0;border:0}p{padding:48px 48px 16px}p~button{margin:0 6px 32px;padding:0 24px}' +
  '@media (max-width:599px){dialog{width:100vw;height:100dvh;max-height:none;margin:0;border-radius:0}}';
/** A frame that has not said `loaded` by then has failed; one that loaded without saying `ready` was refused. */
const LOAD_MS = 10_000;
const READY_MS = 1500;
/**
 * What the customer reads when the page cannot be had or shown: they cannot know why (the shop's server, the billing
 * server, this site not allowed to embed it, their network), so it blames no one and says what to do; Try again
 * beside it. The cause, with its code, is the developer's: `error`, else the console.
 */
const sorry = (title: string) => `${title} could not be opened. Please try again in a moment.`;
let sheet: CSSStyleSheet | undefined;
export const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.createElement(tag);

export interface View {
  /** Shows the hosted page at `url` (the backend's) once it is known. */
  show(url: string): void;
  /** An error shown in place of the content; with `retry`, a Try again button that calls it. */
  fail(text: string, retry?: () => void): void;
  close(): void;
}

/**
 * A hosted page in an iframe: in a modal, or inside `target`. A message counts only if it comes from this iframe's
 * window and from the backend's origin and is the envelope `{ source: 'paylit', version: 1, type, data }`; its
 * fields are checked one by one before use.
 *
 * The modal is a native `<dialog>` in a shadow root, opened with showModal: the page behind is inert and does
 * not scroll, focus stays inside and goes back to the trigger on close. Escape and the close button ask to close;
 * while a payment is in flight (`lock`) they do nothing.
 */
export function frame(title: string, origin: string, cb: CheckoutCallbacks & PortalCallbacks, onClose: () => void, nonce?: string, target?: Element): View {
  const trigger = document.activeElement as HTMLElement | null;
  const html = document.documentElement.style;
  const overflow = html.overflow;
  const iframe = make('iframe');
  const host = make('div');
  const dialog = make('dialog');
  const msg = make('p');
  const x = make('button');
  const again = make('button');
  const re = make('button');
  let locked = false;
  let done = false;
  let ready = false;
  let unlock: ReturnType<typeof setTimeout> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Locked only while a charge is in flight, and never longer than the frame says the charge may take.
  const lock = (on: boolean, ms = 0) => {
    clearTimeout(unlock);
    x.disabled = locked = on;
    if (on) unlock = setTimeout(() => lock(false), ms);
  };
  const request = () => target || locked || onClose();
  const loading = () => ((msg.role = 'status'), (msg.textContent = `Loading ${title}…`), (again.hidden = re.hidden = true));
  const listener = ({ source, origin: from, data: m }: MessageEvent) => {
    if (source !== iframe.contentWindow || from !== origin || !isObject(m) || m.source !== 'paylit' || m.version !== 1 || !isObject(m.data)) return;
    const d = m.data;
    const t = m.type;
    if (t === 'ready') ready = true;
    // Shown once loaded, at its settled height, so nothing moves under a first click.
    if (t === 'loaded') clearTimeout(timer), (msg.hidden = true), (iframe.style.visibility = ''), cb.loaded?.();
    if ((t === 'resize' || t === 'loaded') && typeof d.height === 'number' && d.height >= 0 && d.height < 1e5) iframe.style.height = `${d.height}px`, cb.resize?.(d.height);
    // The bank's challenge covers the checkout: its Cancel is the way out then, not the modal's ×.
    if (t === 'step' && isText(d.step)) (x.hidden = d.step === 'authentication'), cb.step?.(d.step);
    if (t === 'visit' && isText(d.sectionType)) cb.visit?.(d.sectionType);
    if (t === 'lock') lock(d.locked === true, typeof d.ms === 'number' ? Math.min(d.ms, 60_000) : 35_000);
    if (t === 'close') request();
    if (t === 'customer_changed' && isText(d.customer_id)) cb.customerChanged?.({ customer: { id: d.customer_id } });
    // A portal action done: its callback, once per message (the portal posts once per action).
    if (t === 'portal' && isText(d.callback) && PORTAL_EVENTS.includes(d.callback as PortalEvent)) {
      (cb[d.callback as PortalEvent] as ((x?: { subscription: { id: string } }) => void) | undefined)?.(isText(d.subscription_id) ? { subscription: { id: d.subscription_id } } : undefined);
    }
    if (t === 'error' && isText(d.message, 500)) {
      if (d.fatal) view.fail(d.message);
      cb.error?.(paylitError(isText(d.code) ? d.code : 'error', d.message));
    }
    if (t === 'success' && !done && isText(d.hosted_page_id) && isObject(d.hosted_page)) {
      done = true;
      lock(false);
      const to = isText(d.redirect_url, 2000) && /^https?:/.test(d.redirect_url) ? d.redirect_url : undefined;
      // After the callback, even one that throws.
      if (to) setTimeout(() => location.assign(to));
      cb.success?.(d.hosted_page_id, { hosted_page: d.hosted_page as { id: string }, ...(to && { redirect_url: to }) });
    }
  };
  iframe.title = title;
  iframe.style.visibility = 'hidden';
  addEventListener('message', listener);

  const view: View = {
    show(url) {
      // Nothing hangs: a page that never loads, or one the browser refused to frame (not an allowed origin, the
      // backend unreachable from this browser), is replaced by the plain message with Try again (the same page
      // shown again), and `error` gets the code and the likely cause.
      const failed = (code: string, why: string) => (view.fail(sorry(title), () => view.show(url)), fail(cb, paylitError(code, `${title} ${why}`)));
      const t = (timer = setTimeout(() => failed('load_timeout', 'did not load within 10 s'), LOAD_MS));
      // A load of an earlier try, checked after this one began, is not this one's (`t`, this try's timer).
      iframe.onload = () => setTimeout(() => t !== timer || ready || done || failed('embed_refused', `was refused in its frame: is ${location.origin} in PAYLIT_ALLOWED_ORIGINS, and ${origin} reachable?`), READY_MS);
      iframe.src = url;
      if (target) iframe.style.height = '480px', target.append(iframe);
    },
    fail(text, retry) {
      clearTimeout(timer);
      done = true;
      msg.textContent = text;
      msg.role = 'alert';
      msg.hidden = false;
      iframe.remove();
      lock(false);
      if (target) return void target.append(msg);
      again.hidden = false;
      re.hidden = !retry;
      // Focus on the close button, as when the modal opened (the button pressed hides itself); it stays there once loaded.
      re.onclick = () => ((done = ready = false), loading(), dialog.append(iframe), x.focus(), retry!());
    },
    close() {
      clearTimeout(timer);
      clearTimeout(unlock);
      removeEventListener('message', listener);
      iframe.remove();
      msg.remove();
      if (target) return;
      host.remove();
      html.overflow = overflow;
      trigger?.focus();
    },
  };
  if (target) return view;

  const root = host.attachShadow({ mode: 'open' });
  // Styles without inline style text, which a strict CSP allows: a constructable sheet, else a `<style nonce>`.
  if (root.adoptedStyleSheets) {
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    const s = make('style');
    s.nonce = nonce ?? '';
    s.textContent = CSS;
    root.append(s);
  }
  x.ariaLabel = `Close ${title}`;
  x.className = 'x';
  x.textContent = '×';
  x.onclick = request;
  again.textContent = 'Close';
  re.textContent = 'Try again';
  again.onclick = request;
  loading();
  dialog.ariaLabel = title;
  dialog.oncancel = (e) => (e.preventDefault(), request());
  // The frame is in the modal from the start, empty and hidden: inserting an iframe makes its first document and
  // style at once, several ms of this thread, done now while the page is being made (`open` has asked for it first)
  // rather than between its URL and the request for it; `show` then only sets its URL.
  dialog.append(x, msg, re, again, iframe);
  root.append(dialog);
  document.body.append(host);
  html.overflow = 'hidden';
  dialog.showModal();
  return view;
}

// --------------------------------------------------------------------------------------------- opening pages
type Callbacks = CheckoutCallbacks & PortalCallbacks;
/** The portal callbacks a `portal` message may name (Chargebee.js's names). */
const PORTAL_EVENTS = ['paymentSourceAdd', 'paymentSourceUpdate', 'paymentSourceRemove', 'subscriptionChanged', 'subscriptionCancelled', 'subscriptionReactivated', 'scheduledCancellationRemoved'] as const;
type PortalEvent = (typeof PORTAL_EVENTS)[number];

/** What the loader shares with this module: the backend, the embedding options and what is open. */
export interface Ctx {
  domain: string;
  locale: string | undefined;
  nonce: string | undefined;
  /** The open modal: one at a time. */
  modal?: View | undefined;
  inline: Set<View>;
}

/** The modal's place while its page is first asked for: only closeAll() may reach it, to close it (nothing to do). */
const TAKEN = { close() {} } as View;
/** The message of what a merchant's function threw or rejected with. */
export const why = (e: unknown) => ((e as Error)?.message ?? e);

/** `error(e)`, or the console when there is no `error` callback; returns `e`. */
export function fail(cb: Callbacks, e: PaylitError): PaylitError {
  (cb.error ?? console.error)(e);
  return e;
}

/**
 * The frame URL of the page `get()` gives (the merchant's `hostedPage()`, or the portal session): it must be on the
 * backend's origin under /hosted/; the fragment tells the page who embeds it and how.
 */
export async function frameUrl(ctx: Ctx, get: () => unknown, mode: string, extra?: object): Promise<{ url: string; full: boolean }> {
  let page: unknown;
  try {
    page = await get();
  } catch (e) {
    // What the merchant's function (or the fetch) threw stays on the error as its `cause`.
    throw (e as PaylitError).code ? e : paylitError('hosted_page_failed', `the page could not be created: ${why(e)}`, e);
  }
  // The SDK's answer (`{ hosted_page }`, `{ portal_session }`) is taken as well as the page itself.
  if (isObject(page)) page = page.hosted_page ?? page.portal_session ?? page;
  const url = isObject(page) && hostedUrl(page.url ?? page.access_url, ctx.domain, { origin: location.origin, embed: mode, locale: ctx.locale, ...extra });
  if (!url) throw paylitError('invalid_hosted_page', `not a hosted page or portal session of ${ctx.domain} (its url or access_url)`);
  // A page made with layout=full_page, or embed=false ("formatted to be shown as a separate page"), is opened as one.
  return { url, full: isObject(page) && (page.layout === 'full_page' || page.embed === false) };
}

/** The portal's title names the section it opens (the values of `Paylit.getPortalSections()`). */
const titled = (section: string | undefined, title: string) =>
  !section ? title
  : /ship/.test(section) ? 'Shipping address'
  : /addr/.test(section) ? 'Billing address'
  : /acc/.test(section) ? 'Account details'
  : /sub|sched/.test(section) ? 'Subscription'
  : /pay/.test(section) ? 'Payment methods'
  : 'Billing history';

/**
 * A modal (or, `full`, a navigation): a loading indicator at once, the page when its URL is known, else the error.
 * `full: 'page'`: as the hosted page's own `layout` says (checkout_new's `full_page` navigates, `in_app` stays).
 */
export function open(ctx: Ctx, title: string, cb: Callbacks, get: () => unknown, full?: boolean | 'page', extra?: { section?: string | undefined; subscription?: string | undefined }): void {
  title = titled(extra?.section, title);
  if (ctx.modal) return void fail(cb, paylitError('already_open', 'a checkout or portal is already open'));
  // The page is asked for first, then the modal built while it is being made. The place is taken before: a
  // hostedPage() that opens again at once is refused as well.
  ctx.modal = TAKEN;
  const u = frameUrl(ctx, get, 'modal', extra);
  const v = full === true
    ? (ctx.modal = undefined)
    : (ctx.modal = frame(title, ctx.domain, cb, () => {
        if (ctx.modal === v) ctx.modal = undefined, v!.close(), cb.close?.();
      }, ctx.nonce));
  // The customer reads what happened and what to do (and may try again); the developer gets the detail, with its code.
  const go = (page = frameUrl(ctx, get, 'modal', extra)): unknown => page.then(
    ({ url, full: asPage }) => {
      if (v && full === 'page' && asPage) return void (ctx.modal === v && (ctx.modal = undefined, v.close()), location.assign(url));
      return v ? ctx.modal === v && v.show(url) : location.assign(url);
    },
    (e: PaylitError) => (v?.fail(sorry(title), go), fail(cb, e)),
  );
  go(u);
}
