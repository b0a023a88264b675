/**
 * Prometheus metrics through prom-client, text exposition format 0.0.4:
 *
 *   tcocr_requests_total{action,code}                 counter   API requests by outcome
 *   tcocr_request_duration_seconds{action}            histogram latency, receipt to reply
 *   tcocr_requests_in_flight                          gauge     API requests being processed
 *   tcocr_engine_queue_depth{engine}                  gauge     images waiting for a worker (barcode, healthCode; engines that are up)
 *   tcocr_faults_applied_total{source,effect}         counter   applied faults (effect type: error, delay, http…)
 *   tcocr_journal_entries                             gauge     requests held in the journal
 *
 * and prom-client's process and Node.js metrics (`process_*`, `nodejs_*`: CPU, memory, heap spaces,
 * GC durations, event-loop lag, handles), which belong to the process and so are one set shared by
 * every emulator in it. Counters only grow; /_emulator/reset leaves them alone, as a Prometheus
 * scraper expects.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

export interface Gauges {
  inFlight: number;
  journalEntries: number;
  queueDepth: Readonly<Record<string, number>>;
}

let processRegistry: Registry | undefined;

/** The process-wide metrics, collected from the first scrape on (one GC observer, one lag monitor). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  readonly #registry = new Registry();
  /** The Content-Type of what `render` returns. */
  readonly contentType = this.#registry.contentType;

  readonly #requests = new Counter({
    name: 'tcocr_requests_total',
    help: 'API requests by action and outcome code (OK, a Tencent error code, or a transport fault).',
    labelNames: ['action', 'code'] as const,
    registers: [this.#registry],
  });
  readonly #latency = new Histogram({
    name: 'tcocr_request_duration_seconds',
    help: 'API request latency from receipt to reply, by action.',
    labelNames: ['action'] as const,
    buckets: [...LATENCY_BUCKETS],
    registers: [this.#registry],
  });
  readonly #inFlight = new Gauge({
    name: 'tcocr_requests_in_flight',
    help: 'API requests being processed.',
    registers: [this.#registry],
  });
  readonly #queueDepth = new Gauge({
    name: 'tcocr_engine_queue_depth',
    help: 'Images waiting for a worker, by engine (barcode, healthCode; engines that are up).',
    labelNames: ['engine'] as const,
    registers: [this.#registry],
  });
  readonly #faults = new Counter({
    name: 'tcocr_faults_applied_total',
    help: 'Faults applied, by source (file, api, header, url) and effect type.',
    labelNames: ['source', 'effect'] as const,
    registers: [this.#registry],
  });
  readonly #journalEntries = new Gauge({
    name: 'tcocr_journal_entries',
    help: 'Requests held in the request journal.',
    registers: [this.#registry],
  });

  observeRequest(action: string, code: string, seconds: number): void {
    this.#requests.inc({ action, code });
    this.#latency.observe({ action }, seconds);
  }

  observeFault(source: string, effect: string): void {
    this.#faults.inc({ source, effect });
  }

  /** The exposition text: this emulator's metrics with the gauges read now, then the process's. */
  async render(gauges: Gauges): Promise<string> {
    this.#inFlight.set(gauges.inFlight);
    this.#journalEntries.set(gauges.journalEntries);
    this.#queueDepth.reset();
    for (const [engine, depth] of Object.entries(gauges.queueDepth)) this.#queueDepth.set({ engine }, depth);
    const own = await this.#registry.metrics();
    return `${own.trimEnd()}\n\n${await processMetrics().metrics()}`;
  }
}
