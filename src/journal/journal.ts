/**
 * The request journal: the last N API requests (TCOCR_JOURNAL_SIZE), each with its outcome and
 * the faults applied to it, so a test can assert what its client really did ("did my retry
 * happen?"). Filters, lookup by RequestId, counts, and a long-poll wait for a matching request.
 */
import type { AppliedFault } from '../faults/rule.js';

export interface JournalEntry {
  /** 1, 2, 3 … in arrival order since the app started (a reset does not restart it). */
  readonly seq: number;
  readonly requestId: string;
  /** When the request arrived, ISO 8601, and as epoch milliseconds. */
  readonly time: string;
  readonly receivedAt: number;
  readonly latencyMs: number;
  /** The action (as routed, else as asked for), `null` when the request named none. */
  readonly action: string | null;
  /** `OK`, the Tencent error code, or for faults without an envelope `http:<status>`, `malformed`, `empty`, `reset`. */
  readonly code: string;
  /** The error message sent, in the request's language. */
  readonly message: string | null;
  /** `null` when the connection was dropped without a reply. */
  readonly httpStatus: number | null;
  readonly secretId: string | null;
  readonly region: string | null;
  readonly testId: string | null;
  readonly traceId: string | null;
  readonly signatureMethod: string | null;
  readonly language: string;
  readonly faults: readonly AppliedFault[];
  readonly imageUrl: string | null;
  /** On AuthFailure.SignatureFailure: the server's canonical request and string to sign (never a key). */
  readonly signature?: Readonly<Record<string, unknown>>;
}

export type NewEntry = Omit<JournalEntry, 'seq'>;

export interface JournalFilter {
  action?: string | undefined;
  code?: string | undefined;
  secretId?: string | undefined;
  testId?: string | undefined;
  /** Only entries with (true) or without (false) an applied fault. */
  faulted?: boolean | undefined;
  /** Received at or after / before these epoch milliseconds. */
  since?: number | undefined;
  until?: number | undefined;
  /** Only entries after this seq. */
  after?: number | undefined;
}

export function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.action !== undefined && entry.action !== filter.action) return false;
  if (filter.code !== undefined && entry.code !== filter.code) return false;
  if (filter.secretId !== undefined && entry.secretId !== filter.secretId) return false;
  if (filter.testId !== undefined && entry.testId !== filter.testId) return false;
  if (filter.faulted !== undefined && entry.faults.length > 0 !== filter.faulted) return false;
  if (filter.since !== undefined && entry.receivedAt < filter.since) return false;
  if (filter.until !== undefined && entry.receivedAt >= filter.until) return false;
  if (filter.after !== undefined && entry.seq <= filter.after) return false;
  return true;
}

interface Waiter {
  filter: JournalFilter;
  resolve: (entry: JournalEntry | undefined) => void;
}

export class Journal {
  readonly capacity: number;
  #entries: JournalEntry[] = [];
  #seq = 0;
  #waiters = new Set<Waiter>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The seq the last recorded request got (0: none yet). */
  get lastSeq(): number {
    return this.#seq;
  }

  add(entry: NewEntry): JournalEntry {
    const recorded: JournalEntry = { seq: ++this.#seq, ...entry };
    if (this.capacity > 0) {
      this.#entries.push(recorded);
      if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
    }
    for (const waiter of this.#waiters) {
      if (matches(recorded, waiter.filter)) {
        this.#waiters.delete(waiter);
        waiter.resolve(recorded);
      }
    }
    return recorded;
  }

  /** Matching entries, oldest first; with `limit`, the newest `limit` of them. */
  find(filter: JournalFilter, limit?: number): JournalEntry[] {
    const found = this.#entries.filter((entry) => matches(entry, filter));
    return limit !== undefined && found.length > limit ? found.slice(found.length - limit) : found;
  }

  count(filter: JournalFilter): number {
    return this.#entries.reduce((sum, entry) => sum + (matches(entry, filter) ? 1 : 0), 0);
  }

  get(requestId: string): JournalEntry | undefined {
    return this.#entries.find((entry) => entry.requestId === requestId);
  }

  /**
   * The oldest entry already in the journal that matches, else the next one recorded; `undefined`
   * after `timeoutMs` or when `signal` aborts.
   */
  wait(filter: JournalFilter, timeoutMs: number, signal?: AbortSignal): Promise<JournalEntry | undefined> {
    const present = this.#entries.find((entry) => matches(entry, filter));
    if (present || signal?.aborted) return Promise.resolve(present);
    return new Promise((resolve) => {
      const done = (entry: JournalEntry | undefined) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        this.#waiters.delete(waiter);
        resolve(entry);
      };
      const waiter: Waiter = { filter, resolve: done };
      const abort = () => done(undefined);
      const timer = setTimeout(abort, timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.#entries = [];
  }
}
