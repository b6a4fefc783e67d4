// Calls per API action over the last minute, for the status page's "calls per minute against the rate
// limit": one counter per second in a ring of 60, so constant memory whatever the fleet.

const SLOTS = 60;

interface Ring {
  counts: Uint32Array;
  /** The Unix second each slot counts; a slot of an older second is stale. */
  seconds: Float64Array;
}

export class CallRate {
  readonly #rings = new Map<string, Ring>();

  record(action: string, nowMs: number): void {
    let ring = this.#rings.get(action);
    if (!ring) {
      ring = { counts: new Uint32Array(SLOTS), seconds: new Float64Array(SLOTS).fill(-1) };
      this.#rings.set(action, ring);
    }
    const second = Math.floor(nowMs / 1000);
    const slot = second % SLOTS;
    if (ring.seconds[slot] !== second) {
      ring.seconds[slot] = second;
      ring.counts[slot] = 0;
    }
    ring.counts[slot]!++;
  }

  /** Calls of each action that started in the 60 seconds up to `nowMs`, busiest first. */
  lastMinute(nowMs: number): Array<{ action: string; calls: number }> {
    const now = Math.floor(nowMs / 1000);
    const result: Array<{ action: string; calls: number }> = [];
    for (const [action, ring] of this.#rings) {
      let calls = 0;
      for (let slot = 0; slot < SLOTS; slot++) {
        const second = ring.seconds[slot]!;
        if (second > now - SLOTS && second <= now) calls += ring.counts[slot]!;
      }
      result.push({ action, calls });
    }
    return result.sort((a, b) => b.calls - a.calls || a.action.localeCompare(b.action));
  }
}
