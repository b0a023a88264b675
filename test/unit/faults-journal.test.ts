/**
 * The request journal (bounded, filters, long-poll) and the Prometheus text of the metrics.
 */
import { describe, expect, it } from 'vitest';
import { Journal, type NewEntry } from '../../src/journal/journal.js';
import { Metrics } from '../../src/metrics/metrics.js';

const entry = (over: Partial<NewEntry> = {}): NewEntry => ({
  requestId: `id-${Math.random()}`,
  time: new Date(1000).toISOString(),
  receivedAt: 1000,
  latencyMs: 1,
  action: 'QrcodeOCR',
  code: 'OK',
  message: null,
  httpStatus: 200,
  secretId: 'AKID1',
  region: 'ap-guangzhou',
  testId: null,
  traceId: null,
  signatureMethod: 'TC3-HMAC-SHA256',
  language: 'en-US',
  faults: [],
  imageUrl: null,
  ...over,
});

describe('Journal', () => {
  it('keeps the newest N, numbers entries, filters and counts', () => {
    const journal = new Journal(3);
    for (let i = 1; i <= 5; i += 1)
      journal.add(entry({ requestId: `r${i}`, receivedAt: i * 1000, code: i % 2 ? 'OK' : 'InternalError' }));
    expect(journal.size).toBe(3);
    expect(journal.find({}).map((e) => [e.seq, e.requestId])).toEqual([
      [3, 'r3'],
      [4, 'r4'],
      [5, 'r5'],
    ]);
    expect(journal.count({ code: 'OK' })).toBe(2);
    expect(journal.find({ since: 4000 }).map((e) => e.requestId)).toEqual(['r4', 'r5']);
    expect(journal.find({ until: 4000 }).map((e) => e.requestId)).toEqual(['r3']);
    expect(journal.find({ after: 4 }).map((e) => e.requestId)).toEqual(['r5']);
    expect(journal.find({}, 1).map((e) => e.requestId)).toEqual(['r5']);
    expect(journal.get('r4')?.seq).toBe(4);
    expect(journal.get('r1')).toBeUndefined();
    journal.clear();
    expect(journal.size).toBe(0);
    expect(journal.add(entry()).seq).toBe(6);
  });

  it('filters on faulted, test id, SecretId and action', () => {
    const journal = new Journal(10);
    journal.add(entry({ testId: 't1', faults: [{ id: 'x', source: 'api', effect: 'reset' }] }));
    journal.add(entry({ testId: 't2', secretId: 'AKID2', action: 'RecognizeHealthCodeOCR' }));
    expect(journal.count({ faulted: true })).toBe(1);
    expect(journal.count({ faulted: false })).toBe(1);
    expect(journal.count({ testId: 't2', secretId: 'AKID2', action: 'RecognizeHealthCodeOCR' })).toBe(1);
    expect(journal.count({ testId: 't2', action: 'QrcodeOCR' })).toBe(0);
  });

  it('wait: answers at once with a present match, else with the next one, else undefined after the timeout or abort', async () => {
    const journal = new Journal(10);
    journal.add(entry({ requestId: 'old', testId: 'a' }));
    expect((await journal.wait({ testId: 'a' }, 10))?.requestId).toBe('old');
    const waiting = journal.wait({ testId: 'b' }, 5_000);
    journal.add(entry({ requestId: 'other', testId: 'c' }));
    journal.add(entry({ requestId: 'new', testId: 'b' }));
    expect((await waiting)?.requestId).toBe('new');
    expect(await journal.wait({ testId: 'never' }, 20)).toBeUndefined();
    const abort = new AbortController();
    const aborted = journal.wait({ testId: 'never' }, 60_000, abort.signal);
    abort.abort();
    expect(await aborted).toBeUndefined();
  });

  it('size 0 keeps nothing but still numbers and wakes waiters', async () => {
    const journal = new Journal(0);
    const waiting = journal.wait({}, 1000);
    expect(journal.add(entry()).seq).toBe(1);
    expect(await waiting).toBeDefined();
    expect(journal.size).toBe(0);
  });
});

describe('Metrics', () => {
  it('renders counters, the latency histogram and gauges in the exposition format', async () => {
    const metrics = new Metrics();
    metrics.observeRequest('QrcodeOCR', 'OK', 0.003);
    metrics.observeRequest('QrcodeOCR', 'OK', 0.2);
    metrics.observeRequest('QrcodeOCR', 'FailedOperation.ImageBlur', 0.02);
    metrics.observeFault('header', 'error');
    const text = await metrics.render({ inFlight: 2, journalEntries: 3, queueDepth: { barcode: 1 } });
    expect(text).toContain('# TYPE tcocr_requests_total counter');
    expect(text).toContain('tcocr_requests_total{action="QrcodeOCR",code="OK"} 2');
    expect(text).toContain('tcocr_requests_total{action="QrcodeOCR",code="FailedOperation.ImageBlur"} 1');
    expect(text).toContain('tcocr_request_duration_seconds_bucket{le="0.005",action="QrcodeOCR"} 1');
    expect(text).toContain('tcocr_request_duration_seconds_bucket{le="0.025",action="QrcodeOCR"} 2');
    expect(text).toContain('tcocr_request_duration_seconds_bucket{le="+Inf",action="QrcodeOCR"} 3');
    expect(text).toContain('tcocr_request_duration_seconds_count{action="QrcodeOCR"} 3');
    expect(text).toContain('tcocr_requests_in_flight 2');
    expect(text).toContain('tcocr_engine_queue_depth{engine="barcode"} 1');
    expect(text).toContain('tcocr_faults_applied_total{source="header",effect="error"} 1');
    expect(text).toContain('tcocr_journal_entries 3');
    // prom-client's own metrics of the process: CPU, memory, heap, GC, event-loop lag.
    for (const family of [
      'process_cpu_seconds_total counter',
      'process_resident_memory_bytes gauge',
      'nodejs_heap_size_used_bytes gauge',
      'nodejs_gc_duration_seconds histogram',
      'nodejs_eventloop_lag_seconds gauge',
    ]) {
      expect(text).toContain(`# TYPE ${family}\n`);
    }
    // Families are separated by blank lines; a lag statistic without samples is NaN (Prometheus reads `Nan`).
    for (const line of text.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? ([\d.e+-]+|Nan)|)$/);
    expect(text.indexOf('tcocr_journal_entries 3')).toBeLessThan(text.indexOf('process_cpu_seconds_total'));
  });
});
