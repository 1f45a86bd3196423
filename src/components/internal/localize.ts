import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatMoney } from '../../core/money.js';
import en, { type Message, type MessageKey, type Messages } from './locales/en.js';

/**
 * Messages, money and dates in the customer's language. English is built in and is the fallback for any missing
 * message; the other catalogs are loaded on first use (each its own small chunk), so a page pays only for its language.
 */
const loaders: Record<string, () => Promise<{ default: Partial<Messages> }>> = {
  de: () => import('./locales/de.js'),
  fr: () => import('./locales/fr.js'),
  es: () => import('./locales/es.js'),
  ja: () => import('./locales/ja.js'),
  ar: () => import('./locales/ar.js'),
};
export const SUPPORTED_LOCALES = ['en', ...Object.keys(loaders)];
/** English: the shared catalog, and the strings of an element that keeps its own, once its class is defined (`addEnglish`). */
const english: Partial<Messages> = en; // extended in place by addEnglish
const catalogs = new Map<string, Partial<Messages>>([['en', english]]);
/** Adds an element's own English strings (the plan picker's, the credit balance's), so pages without it carry none. */
export function addEnglish(messages: Partial<Messages>): void {
  Object.assign(english, messages);
}
const loading = new Map<string, Promise<void>>();
const RTL = new Set(['ar', 'he', 'fa', 'ur']);

/** The page-wide default, set by `Paylit.init({ locale })`; an element's own `locale` attribute wins over it. */
let pageLocale: string | undefined;
const hosts = new Set<LocaleController>();
export function setDefaultLocale(locale: string | undefined): void {
  pageLocale = locale === undefined ? undefined : canonical(locale);
  hosts.forEach((h) => h.refresh());
}

function canonical(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return 'en';
  }
}
const language = (tag: string) => tag.split('-')[0]!.toLowerCase();

/** Loads a language's catalog (resolves at once for English or one already loaded; unknown languages fall back). */
export function loadLocale(tag: string): Promise<void> {
  const lang = language(tag);
  if (catalogs.has(lang) || !loaders[lang]) return Promise.resolve();
  let p = loading.get(lang);
  if (!p) {
    p = loaders[lang]!().then(
      (m) => void catalogs.set(lang, m.default),
      () => void catalogs.set(lang, {}), // offline or blocked: English it is
    );
    loading.set(lang, p);
  }
  return p;
}

const plurals = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();
/** Intl objects are costly to make: one per locale, reused (a 1,000-plan picker formats thousands of numbers). */
function numberFormat(locale: string): Intl.NumberFormat {
  let f = numbers.get(locale);
  if (!f) numbers.set(locale, (f = new Intl.NumberFormat(locale)));
  return f;
}
function pick(message: Message, locale: string, count: number): string {
  if (typeof message === 'string') return message;
  let rules = plurals.get(locale);
  if (!rules) plurals.set(locale, (rules = new Intl.PluralRules(locale)));
  return message[rules.select(count)] ?? message.other ?? '';
}

/** One message in a language, with `{placeholders}` filled; numbers are formatted for the locale. */
export function translate(locale: string, key: MessageKey, params: Record<string, string | number> = {}): string {
  const own = catalogs.get(language(locale))?.[key];
  const count = typeof params.count === 'number' ? params.count : 0;
  const text = pick(own ?? english[key] ?? '', own ? locale : 'en', count);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? '' : typeof v === 'number' ? numberFormat(locale).format(v) : v;
  });
}

export interface Localized extends ReactiveControllerHost, HTMLElement {
  locale?: string | undefined;
}

/**
 * Gives an element its language: its `locale` attribute, else the page default, else the nearest `lang`, else English.
 * Loads the catalog and re-renders when it arrives.
 */
export class LocaleController implements ReactiveController {
  private resolved = 'en';
  constructor(private readonly host: Localized) {
    host.addController(this);
  }
  hostConnected(): void {
    hosts.add(this);
  }
  hostDisconnected(): void {
    hosts.delete(this);
  }
  hostUpdate(): void {
    const tag = canonical(this.host.locale || pageLocale || this.host.closest('[lang]')?.getAttribute('lang') || 'en');
    if (tag !== this.resolved) {
      this.resolved = tag;
      const lang = language(tag);
      if (!catalogs.has(lang) && loaders[lang]) void loadLocale(tag).then(() => this.host.requestUpdate());
    }
  }
  refresh(): void {
    this.host.requestUpdate();
  }
  /** Resolves once the catalog of the current language is in. */
  ready(): Promise<void> {
    return loadLocale(this.resolved);
  }
  get locale(): string {
    return this.resolved;
  }
  get dir(): 'ltr' | 'rtl' {
    return RTL.has(language(this.resolved)) ? 'rtl' : 'ltr';
  }
  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.resolved, key, params);
  money = (minor: number, currency: string): string => formatMoney(minor, currency, this.resolved);
  date = (unixSeconds: number): string => new Intl.DateTimeFormat(this.resolved, { dateStyle: 'medium' }).format(unixSeconds * 1000);
  number = (n: number): string => numberFormat(this.resolved).format(n);
}
