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
