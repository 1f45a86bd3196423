import * as z from 'zod/mini';

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
