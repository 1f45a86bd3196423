/**
 * `paylit/server`: the reference backend, for a host program that runs it itself (`paylit-server` is the same from a
 * shell). `parseEnv` reads the same variables as the command, `startServer` opens the database, ensures the site and
 * listens; `createApp` is the Hono app behind it, for the wiring that `startServer` builds (`Deps`, and the
 * `Services` that `createServices` makes of them). The database
 * driver loads when the database opens: better-sqlite3 for SQLite, pg for a `DATABASE_URL` (optional peers).
 */
export { startServer } from './server.js';
export type { RunningServer, ServerOptions } from './server.js';
export { createApp } from './app.js';
export type { Logger } from './app.js';
export type { Deps } from './context.js';
export { createServices } from './services.js';
export type { Services } from './services.js';
export { EnvError, envSchema, envVariables, parseEnv } from './env.js';
export type { Env, EnvVariable } from './env.js';
export { MissingDriverError } from './db/index.js';
export type { Dialect, Storage } from './db/index.js';
export { demoAddons, demoCoupons, demoPlans, demoTaxProfile } from './seed/catalog.js';
