/**
 * The credits one unit of a credit-pack addon grants: its `meta_data.credits`, a positive whole number (a number, or
 * digits as text; `meta_data` itself may arrive as JSON text, as the v1 addons API takes it). Anything else is not a
 * pack: `undefined`. The widget (which packs to show) and the merchant's ledger (what to credit) both read this.
 */
export function packCredits(addon: { meta_data?: unknown }): number | undefined {
  let m = addon.meta_data;
  if (typeof m === 'string') {
    try {
      m = JSON.parse(m);
    } catch {
      return undefined;
    }
  }
  if (!m || typeof m !== 'object') return undefined;
  const raw = (m as Record<string, unknown>).credits;
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
