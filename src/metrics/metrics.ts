/**
 * Prometheus metrics in the text exposition format (version 0.0.4), kept in memory:
 *
 *   tcocr_requests_total{action,code}                 counter   API requests by outcome
 *   tcocr_request_duration_seconds{action}            histogram latency, receipt to reply
 *   tcocr_requests_in_flight                          gauge     API requests being processed
 *   tcocr_engine_queue_depth{engine}                  gauge     images waiting for a worker (barcode, healthCode; engines that are up)
 *   tcocr_faults_applied_total{source,effect}         counter   applied faults (effect type: error, delay, http…)
 *   tcocr_journal_entries                             gauge     requests held in the journal
 *
 * Counters only grow; /_emulator/reset leaves them alone, as a Prometheus scraper expects.
 */

export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

export interface Gauges {
  inFlight: number;
  journalEntries: number;
  queueDepth: Readonly<Record<string, number>>;
}

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([name, value]) => `${name}="${escape(value)}"`)
    .join(',')}}`;

export class Metrics {
  #requests = new Map<string, { action: string; code: string; value: number }>();
  #latency = new Map<string, Histogram>();
  #faults = new Map<string, { source: string; effect: string; value: number }>();

  observeRequest(action: string, code: string, seconds: number): void {
    const key = `${action}\u0000${code}`;
    const counter = this.#requests.get(key) ?? { action, code, value: 0 };
    counter.value += 1;
    this.#requests.set(key, counter);
    const histogram = this.#latency.get(action) ?? { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
    LATENCY_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) histogram.buckets[index]! += 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
    this.#latency.set(action, histogram);
  }

  observeFault(source: string, effect: string): void {
    const key = `${source}\u0000${effect}`;
    const counter = this.#faults.get(key) ?? { source, effect, value: 0 };
    counter.value += 1;
    this.#faults.set(key, counter);
  }

  render(gauges: Gauges): string {
    const lines: string[] = [];
    const head = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    head('tcocr_requests_total', 'counter', 'API requests by action and outcome code (OK, a Tencent error code, or a transport fault).');
    for (const { action, code, value } of this.#requests.values()) lines.push(`tcocr_requests_total${labels({ action, code })} ${value}`);

    head('tcocr_request_duration_seconds', 'histogram', 'API request latency from receipt to reply, by action.');
    for (const [action, histogram] of this.#latency) {
      LATENCY_BUCKETS.forEach((bound, index) =>
        lines.push(`tcocr_request_duration_seconds_bucket${labels({ action, le: String(bound) })} ${histogram.buckets[index]}`),
      );
      lines.push(`tcocr_request_duration_seconds_bucket${labels({ action, le: '+Inf' })} ${histogram.count}`);
      lines.push(`tcocr_request_duration_seconds_sum${labels({ action })} ${histogram.sum}`);
      lines.push(`tcocr_request_duration_seconds_count${labels({ action })} ${histogram.count}`);
    }

    head('tcocr_requests_in_flight', 'gauge', 'API requests being processed.');
    lines.push(`tcocr_requests_in_flight ${gauges.inFlight}`);

    head('tcocr_engine_queue_depth', 'gauge', 'Images waiting for a worker, by engine (barcode, healthCode; engines that are up).');
    for (const [engine, depth] of Object.entries(gauges.queueDepth)) lines.push(`tcocr_engine_queue_depth${labels({ engine })} ${depth}`);

    head('tcocr_faults_applied_total', 'counter', 'Faults applied, by source (file, api, header, url) and effect type.');
    for (const { source, effect, value } of this.#faults.values()) lines.push(`tcocr_faults_applied_total${labels({ source, effect })} ${value}`);

    head('tcocr_journal_entries', 'gauge', 'Requests held in the request journal.');
    lines.push(`tcocr_journal_entries ${gauges.journalEntries}`);
    return `${lines.join('\n')}\n`;
  }
}
