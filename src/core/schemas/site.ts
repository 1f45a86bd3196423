import * as z from 'zod/mini';

/**
 * Whom the customer pays: the site's name as customers read it, and optionally its logo and accent colour, shown at
 * the top of the checkout and the portal. The accent feeds the `--paylit-color-primary` token.
 */
export const siteBrandingSchema = z.strictObject({
  display_name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  /** An absolute https URL (http only for localhost), at most 500 characters. */
  logo_url: z.optional(
    z.string().check(
      z.maxLength(500),
      z.refine((u) => {
        try {
          const x = new URL(u);
          return x.protocol === 'https:' || (x.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(x.hostname));
        } catch {
          return false;
        }
      }, 'must be an absolute https URL'),
    ),
  ),
  /** A hex colour such as `#4f46e5`. */
  accent_color: z.optional(z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour such as #4f46e5'))),
});
export type SiteBranding = z.infer<typeof siteBrandingSchema>;

/**
 * What the self-serve portal lets a customer do, as the merchant sets it (PAYLIT_PORTAL_* or `POST /api/v2/site`):
 * cancel at the end of the term, at once or not at all; change plan and addons at once, at term end, either (the
 * customer chooses) or not at all; reactivate a cancelled subscription or not.
 */
export const portalSettingsSchema = z.strictObject({
  cancel: z._default(z.enum(['end_of_term', 'immediately', 'off']), 'end_of_term'),
  change: z._default(z.enum(['immediately', 'end_of_term', 'either', 'off']), 'immediately'),
  reactivate: z._default(z.boolean(), true),
});
export type PortalSettings = z.output<typeof portalSettingsSchema>;
