/**
 * What a user may cancel of one cell run while it goes, part by part (a compare cell's
 * strategies), apart from the run's own signal. That signal means "stale, drop the result"; a
 * cancelled part means "stop this, keep the rest": a comparison whose autoencoder is cancelled
 * still finishes the other strategies and shows its board. Cancelling everything aborts every
 * part, including those not asked for yet.
 */
export class CancelScope {
  private readonly parts = new Map<string, AbortController>();
  private everything = false;

  /** The signal of `part`, aborted when it (or everything) is cancelled. */
  signal(part: string): AbortSignal {
    let c = this.parts.get(part);
    if (!c) {
      c = new AbortController();
      if (this.everything) c.abort();
      this.parts.set(part, c);
    }
    return c.signal;
  }

  /** Cancel one part, or every part (without `part`). */
  cancel(part?: string): void {
    if (part === undefined) {
      this.everything = true;
      for (const c of this.parts.values()) c.abort();
    } else {
      this.signal(part);
      this.parts.get(part)!.abort();
    }
  }

  /** Whether everything was cancelled. */
  get all(): boolean {
    return this.everything;
  }
}
