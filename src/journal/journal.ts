/**
 * The request journal: the last N API requests (TCOCR_JOURNAL_SIZE), each with its outcome and
 * the faults applied to it, so a test can assert what its client really did ("did my retry
 * happen?"). Filters, lookup by RequestId, counts, and a long-poll wait for a matching request.
 * Bounded in bytes too (TCOCR_JOURNAL_MAX_MB, entries measured as JSON): the oldest entries go
 * first; the strings a client chose are clipped before they get here (src/journal/observer.ts).
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
  /**
   * `OK`, the Tencent error code, for faults without an envelope `http:<status>`, `malformed`,
   * `empty`, `reset`, or `aborted` when the client closed the connection before the answer.
   */
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
  /** The request's headers, the signature and any session token redacted, values clipped. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The action's parameters as parsed: ImageBase64 by its length, secrets redacted, values clipped. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** On AuthFailure.SignatureFailure: the server's canonical request and string to sign (never a key). */
  readonly signature?: Readonly<Record<string, unknown>>;
  /** The reply's Response fields on success (left out when larger than 16 KB as JSON). */
  readonly result?: Readonly<Record<string, unknown>>;
  /** The decoded symbols with their true corners, also when the reply hides them (`-1`). */
  readonly marks?: readonly { text: string; type: string; corners: [number, number][] }[];
  /** Replay mode: the key of the recording the request was answered from. */
  readonly replayed?: string;
  /** Record mode: the key of the recording written for the request. */
  readonly recorded?: string;
  /** Whether the uploaded image is kept for the console (GET /_emulator/requests/{id}/image). */
  readonly image?: boolean;
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
  readonly maxBytes: number;
  #entries: JournalEntry[] = [];
  /** The size of each entry of #entries as JSON, and their sum. */
  #sizes: number[] = [];
  #bytes = 0;
  #seq = 0;
  #waiters = new Set<Waiter>();

  constructor(capacity: number, maxBytes = Number.POSITIVE_INFINITY) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** The entries' size as JSON (characters). */
  get bytes(): number {
    return this.#bytes;
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
      const size = JSON.stringify(recorded).length;
      this.#entries.push(recorded);
      this.#sizes.push(size);
      this.#bytes += size;
      let drop = Math.max(0, this.#entries.length - this.capacity);
      let bytes = this.#bytes;
      for (let i = 0; i < drop; i += 1) bytes -= this.#sizes[i]!;
      while (bytes > this.maxBytes && drop < this.#entries.length - 1) bytes -= this.#sizes[drop++]!;
      if (drop > 0) {
        this.#entries.splice(0, drop);
        this.#sizes.splice(0, drop);
        this.#bytes = bytes;
      }
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
    this.#sizes = [];
    this.#bytes = 0;
  }
}
