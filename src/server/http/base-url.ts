import type { Context } from 'hono';
import type { Deps } from '../context.js';

/** The base of URLs given to browsers: PAYLIT_PUBLIC_URL, else the origin the request came to. */
export const baseUrl = (d: Deps, c: Context) => d.publicUrl ?? new URL(c.req.url).origin;
