import type { PaylitError } from './types.js';

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
export const isId = (v: unknown): v is string => typeof v === 'string' && /^[\w.~-]{1,100}$/.test(v);
export const isQty = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) <= 1e6;

export const paylitError = (code: string, message: string, cause?: unknown): PaylitError => Object.assign(new Error(`Paylit: ${message}`, { cause }), { name: 'PaylitError', code });

/**
 * Checks one input by hand (no zod in the loader's 4 KB). A bad one is said on the console, naming it (the types
 * and the README say what each must be), and changes nothing: returns false.
 */
export function ok(good: unknown, what: string, got: unknown): boolean {
  if (!good) console.error(`Paylit: ${what} is not valid: ${JSON.stringify(got)}`);
  return !!good;
}

/** The URL if it is on `origin` (the backend's) under `/hosted/`, with `extra` added to its fragment; else undefined. */
export function hostedUrl(url: unknown, origin: string, extra: Record<string, string | undefined>): string | undefined {
  try {
    const u = new URL(url as string);
    const p = new URLSearchParams(u.hash.slice(1));
    for (const k in extra) if (extra[k]) p.set(k, extra[k]);
    u.hash = p.toString();
    return u.origin === origin && u.pathname.startsWith('/hosted/') ? u.href : undefined;
  } catch {
    return undefined;
  }
}
