import type { Kysely } from 'kysely';
import type { Clock } from './clock.js';
import type { Database, TimeMachineRow } from './db/types.js';

export const TIME_MACHINE = 'delorean';

/**
 * The site's clock: the server's clock plus the time machine's offset. Every part of the server reads time through
 * it, so travelling forward moves renewals, expiries and sessions together. The offset lives in the database;
 * each instance re-reads it at most once a second, so instances on one PostgreSQL agree within that second.
 */
export class SiteClock implements Clock {
  private offset = 0;
  private readAt = -Infinity;

  constructor(
    private readonly base: Clock,
    private readonly db: Kysely<Database>,
    private readonly siteId: string,
  ) {}

  now(): number {
    return this.base.now() + this.offset;
  }

  /** The server's own time, without travel. */
  baseNow(): number {
    return this.base.now();
  }

  setOffset(seconds: number): void {
    this.offset = seconds;
    this.readAt = performance.now();
  }

  async refresh(force = false): Promise<void> {
    if (!force && performance.now() - this.readAt < 1000) return;
    const row = await this.read();
    this.offset = row?.offset_seconds ?? 0;
    this.readAt = performance.now();
  }

  read(): Promise<TimeMachineRow | undefined> {
    return this.db.selectFrom('time_machines').selectAll().where('site_id', '=', this.siteId).where('name', '=', TIME_MACHINE).executeTakeFirst();
  }
}
