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

  /**
   * Reads the offset again once a second has passed since the last read (or when forced), and returns that read to
   * wait for; within the second it returns nothing, so a caller on every request makes no promise and waits no turn.
   */
  refresh(force = false): Promise<void> | undefined {
    if (!force && performance.now() - this.readAt < 1000) return undefined;
    return this.reread();
  }

  private async reread(): Promise<void> {
    const row = await this.read();
    this.offset = row?.offset_seconds ?? 0;
    this.readAt = performance.now();
  }

  read(): Promise<TimeMachineRow | undefined> {
    return this.db.selectFrom('time_machines').selectAll().where('site_id', '=', this.siteId).where('name', '=', TIME_MACHINE).executeTakeFirst();
  }
}
