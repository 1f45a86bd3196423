/**
 * How a hosted page (checkout, portal) was opened, and its one channel to the page that embeds it.
 *
 * The loader puts the embedding page's origin in the fragment (`#token=..&origin=..&embed=modal|inline`). The page
 * talks to it only if that origin is on the site's allowlist (which the backend writes into the page, the same list
 * its `frame-ancestors` header is built from) and, where the browser tells us, really is the parent's origin.
 * Messages are posted to that origin only, so no other page can read them. Opened on its own (full-page mode, or a
 * link), the page posts nothing.
 */
import { parseOrThrow } from '../core/errors.js';
import { type SiteBranding, siteBrandingSchema } from '../core/schemas/site.js';

export interface Embedding {
  /** The fragment's parameters: token, origin, embed, locale, section, subscription. */
  readonly params: URLSearchParams;
  readonly framed: boolean;
  /** False when framed by an origin that is not allowed: the page must not render. */
  readonly allowed: boolean;
  readonly locale: string | undefined;
  post(type: string, data?: Record<string, unknown>): void;
}

export function embedding(): Embedding {
  const params = new URLSearchParams(location.hash.slice(1));
  const allowedOrigins = (document.querySelector<HTMLMetaElement>('meta[name="paylit-allowed-origins"]')?.content ?? '').split(' ').filter(Boolean);
  const framed = window.parent !== window;
  const origin = params.get('origin') ?? '';
  const parentOrigin = location.ancestorOrigins?.[0];
  const allowed = !framed || ((allowedOrigins.includes(origin) || origin === location.origin) && (parentOrigin === undefined || parentOrigin === origin));
  const locale = params.get('locale') ?? undefined;
  return {
    params,
    framed,
    allowed,
    locale: locale && /^[a-z]{2,3}(-[a-z\d]{2,8})*$/i.test(locale) ? locale : undefined,
    post(type, data = {}) {
      if (framed && allowed) window.parent.postMessage({ source: 'paylit', version: 1, type, data }, origin);
    },
  };
}

/**
 * Says `ready` at once (the host then knows the frame was allowed to load), keeps the host told of the page's height
 * (the frame follows it), and asks it to close on Escape.
 */
export function follow(e: Embedding): void {
  if (!e.framed) return;
  e.post('ready');
  let last = -1;
  new ResizeObserver(() => {
    const h = Math.ceil(document.body.getBoundingClientRect().height);
    if (h !== last) e.post('resize', { height: (last = h) });
  }).observe(document.body);
  // Escape inside the frame never reaches the host's dialog; a popover that handled it has prevented its default.
  addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !ev.defaultPrevented) e.post('close');
  });
}

/** A short notice in place of the page (a refused embedding, a broken link). */
export function notice(text: string, title = 'Paylit'): void {
  const p = document.createElement('p');
  p.className = 'notice';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  document.title = title;
  document.body.replaceChildren(p);
}

export const REFUSED = 'This page cannot be shown inside this site. The shop must add its address to the allowed origins (PAYLIT_ALLOWED_ORIGINS).';

/**
 * Whom the customer pays, from the page shell (the backend writes the site's branding into it): the accent becomes
 * the `--paylit-color-primary` token (with a text colour that contrasts with it) for the elements and the page.
 * The meta tag is checked with the core's `siteBrandingSchema` (the one `POST /api/v2/site` and the adapter use): a
 * tag that is not JSON, or not a branding (a missing name, a bad accent or logo, an unknown key), is named on the
 * console and the page keeps its default look (undefined: no name, no logo, the default accent). No tag: undefined.
 */
export function brand(): SiteBranding | undefined {
  const content = document.querySelector<HTMLMetaElement>('meta[name="paylit-site"]')?.content;
  if (content === undefined) return undefined;
  let site: SiteBranding;
  try {
    site = parseOrThrow(siteBrandingSchema, JSON.parse(content));
  } catch (e) {
    console.warn(`Paylit: meta paylit-site is not a valid branding (${(e as Error).message}); the default look is used.`);
    return undefined;
  }
  const accent = site.accent_color;
  if (accent) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    const light = 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.179;
    const root = document.documentElement.style;
    root.setProperty('--paylit-color-primary', accent);
    root.setProperty('--paylit-color-on-primary', light ? '#111' : '#fff');
  }
  return site;
}
