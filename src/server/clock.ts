/** The one clock the server reads: Unix seconds. Tests and the time machine move it instead of waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

/** A clock that starts at a given time (or now) and moves only when told. */
export class ManualClock implements Clock {
  constructor(private current: number = Math.floor(Date.now() / 1000)) {}
  now(): number {
    return this.current;
  }
  set(to: number): void {
    this.current = to;
  }
  advance(seconds: number): void {
    this.current += seconds;
  }
}
