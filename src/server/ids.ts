import { randomBytes } from 'node:crypto';

/** An unguessable resource id: prefix, then 16 characters of randomness. */
export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
