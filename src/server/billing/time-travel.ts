import type { TimeMachineRow } from '../db/types.js';
import { addPeriod } from '../../core/periods.js';
import type { Deps } from '../context.js';
import type { Db, Trx } from '../db/transaction.js';
import { notFound, paramError } from '../errors.js';
import { TIME_MACHINE } from '../time-machine.js';
import type { Lifecycle } from './lifecycle.js';

/** How far one travel_forward may go: every renewal on the way runs, one by one. */
const MAX_TRAVEL_YEARS = 10;

/** The tables start_afresh empties: the site's test data, with the test gateway's cards and charges. */
const TEST_DATA = ['subscriptions', 'invoices', 'hosted_pages', 'portal_sessions', 'customers', 'payment_sources', 'transactions', 'gateway_tokens', 'gateway_cards', 'gateway_charges', 'gateway_refunds', 'item_usages'] as const;

export const timeMachineView = (row: TimeMachineRow | undefined, now: number) => ({
  name: TIME_MACHINE,
  time_travel_status: row?.time_travel_status ?? 'not_enabled',
  genesis_time: row?.genesis_time ?? now,
  destination_time: row?.destination_time ?? now,
  ...(row?.failure_reason && { failure_reason: row.failure_reason }),
  object: 'time_machine' as const,
});

/**
 * Chargebee's time machine for test sites: travel_forward runs every subscription's life cycle (trial ends,
 * renewals, scheduled changes and cancellations) up to the destination, then the site's clock shows that time.
 * start_afresh clears the site's test data and resets the clock. Events stay: they are the record of what happened,
 * and their deliveries may be under way.
 */
export class TimeTravel {
  constructor(
    private readonly d: Deps,
    private readonly lifecycle: Lifecycle,
  ) {}

  check(name: string): void {
    if (name !== TIME_MACHINE) throw notFound('time_machine', name);
  }

  private async save(db: Db, row: TimeMachineRow): Promise<void> {
    await db.deleteFrom('time_machines').where('site_id', '=', this.d.site.id).where('name', '=', TIME_MACHINE).execute();
    await db.insertInto('time_machines').values(row).execute();
  }

  /**
   * Runs what falls due on the way (each step committing on its own, claimed first, so a retry after a crash goes
   * on where this one stopped); then `arrive` stores the destination in the caller's transaction (with its answer).
   */
  async travelForward(destination: number): Promise<{ arrive: (trx: Trx) => Promise<TimeMachineRow> }> {
    const { db } = this.d.storage;
    await this.d.clock.refresh(true);
    const now = this.d.clock.now();
    if (destination <= now) throw paramError('destination_time', `must be after the site's current time (${String(now)})`);
    if (destination > addPeriod(now, MAX_TRAVEL_YEARS, 'year')) throw paramError('destination_time', `may be at most ${String(MAX_TRAVEL_YEARS)} years after the site's current time`);
    const current = await this.d.clock.read();
    const base = { site_id: this.d.site.id, name: TIME_MACHINE, genesis_time: current?.genesis_time ?? now, destination_time: destination, failure_reason: null };
    await this.save(db, { ...base, offset_seconds: current?.offset_seconds ?? 0, time_travel_status: 'in_progress' });
    try {
      await this.lifecycle.processDue(destination);
    } catch (e) {
      await this.save(db, { ...base, offset_seconds: current?.offset_seconds ?? 0, time_travel_status: 'failed', failure_reason: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    return {
      arrive: async (trx) => {
        const row: TimeMachineRow = { ...base, offset_seconds: destination - this.d.clock.baseNow(), time_travel_status: 'succeeded' };
        await this.save(trx, row);
        return row;
      },
    };
  }

  /** Empties the site's test data and sets the clock to `genesis` (now by default), in the caller's transaction. */
  async startAfresh(trx: Trx, genesis: number | undefined): Promise<TimeMachineRow> {
    const at = genesis ?? this.d.clock.baseNow();
    const row: TimeMachineRow = { site_id: this.d.site.id, name: TIME_MACHINE, offset_seconds: at - this.d.clock.baseNow(), genesis_time: at, destination_time: at, time_travel_status: 'succeeded', failure_reason: null };
    for (const t of TEST_DATA) await trx.deleteFrom(t).where('site_id', '=', this.d.site.id).execute();
    await this.save(trx, row);
    return row;
  }

  /** After the commit: this instance's clock shows the new time at once (the others within a second). */
  arrived(row: TimeMachineRow): void {
    this.d.clock.setOffset(row.offset_seconds);
  }
}
