/**
 * The fault vocabulary: one-line effects, rule validation, rule files (JSON, YAML) and the config
 * variables that carry them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeEffect, parseEffect } from '../../src/faults/effects.js';
import { splitFaultPath } from '../../src/faults/request-faults.js';
import { normalizeRule } from '../../src/faults/rule.js';
import { urlPattern } from '../../src/faults/url-pattern.js';
import { loadRuleFile } from '../../src/faults/rule-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'faults-rules-'));
const file = (name: string, text: string) => {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
};
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
};

describe('one-line effects', () => {
  it.each([
    ['FailedOperation.ImageBlur', { type: 'error', code: 'FailedOperation.ImageBlur' }],
    ['delay/1500', { type: 'delay', minMs: 1500, maxMs: 1500 }],
    ['delay/100-900', { type: 'delay', minMs: 100, maxMs: 900 }],
    ['http/502', { type: 'http', status: 502 }],
    ['reset', { type: 'reset' }],
    ['empty', { type: 'empty' }],
    ['malformed', { type: 'malformed' }],
  ])('%s', (spec, effect) => {
    expect(parseEffect(spec)).toEqual(effect);
    expect(describeEffect(parseEffect(spec))).not.toBe('');
  });

  it.each(['NotACode', 'delay/9-1', 'delay/abc', 'http/99', 'http/600', 'delay/9999999'])('rejects %s', (spec) => {
    expect(() => parseEffect(spec)).toThrow();
  });

  it('splits magic URL paths into faults', () => {
    expect(splitFaultPath('/delay/1500/FailedOperation.ImageBlur')).toEqual([
      'delay/1500',
      'FailedOperation.ImageBlur',
    ]);
    expect(splitFaultPath('/http/503')).toEqual(['http/503']);
    expect(splitFaultPath('/reset')).toEqual(['reset']);
  });

  it('ImageUrl patterns: globs anchor to the whole URL, /regex/flags as written', () => {
    expect(urlPattern('https://a.test/*.png').test('https://a.test/x/y.png')).toBe(true);
    expect(urlPattern('https://a.test/*.png').test('https://a.test/x.png.jpg')).toBe(false);
    expect(urlPattern('https://a.test/?.png').test('https://a.test/?.png')).toBe(true);
    expect(urlPattern('/QR/i').test('https://a.test/qr.png')).toBe(true);
  });
});

describe('rules', () => {
  const make = (input: unknown) => normalizeRule(input, 'api', () => 'generated');

  it('accepts the object form of every effect', () => {
    expect(make({ effect: { type: 'error', code: 'InternalError', message: 'boom' } }).effect).toEqual({
      type: 'error',
      code: 'InternalError',
      message: 'boom',
    });
    expect(make({ effect: { type: 'delay', ms: 5 } }).effect).toEqual({ type: 'delay', minMs: 5, maxMs: 5 });
    expect(make({ effect: { type: 'delay', minMs: 5, maxMs: 9 } }).effect).toEqual({
      type: 'delay',
      minMs: 5,
      maxMs: 9,
    });
    expect(
      make({ effect: { type: 'http', status: 429, body: 'slow down', contentType: 'text/plain' } }).effect,
    ).toMatchObject({ status: 429, body: 'slow down' });
    expect(make({ effect: { type: 'success', result: { CodeResults: [] } } }).effect).toEqual({
      type: 'success',
      result: { CodeResults: [] },
    });
    expect(make({ id: 'mine', effect: 'reset' }).id).toBe('mine');
    expect(make({ effect: 'reset' }).id).toBe('generated');
  });

  it.each([
    [{ effect: 'reset', match: { colour: 'red' } }, /colour/],
    [{ effect: 'reset', times: 0 }, /times/],
    [{ effect: 'reset', probability: 2 }, /probability/],
    [{ effect: { type: 'error', code: 'Made.Up' } }, /Made\.Up/],
    [{ effect: { type: 'http', status: 42 } }, /status/],
    [{ effect: { type: 'delay' } }, /ms/],
    [{ effect: 'reset', match: { imageSha256: 'abc' } }, /64 hex/],
    [{ effect: 'reset', id: 'has space' }, /id/],
    [{ match: {} }, /effect/],
  ])('rejects %j', (input, message) => {
    expect(() => make(input)).toThrow(message);
  });
});

describe('rule files and config', () => {
  it('reads YAML and JSON, lists or { rules }', () => {
    const yaml = file(
      'rules.yaml',
      'rules:\n  - effect: FailedOperation.ImageBlur\n    times: 2\n    match: { action: QrcodeOCR }\n  - id: slow\n    effect: delay/50-100\n',
    );
    expect(loadRuleFile(yaml).map((r) => [r.id, r.source, r.times])).toEqual([
      ['file-1', 'file', 2],
      ['slow', 'file', undefined],
    ]);
    const json = file('rules.json', JSON.stringify([{ effect: { type: 'http', status: 503 } }]));
    expect(loadRuleFile(json)[0]!.effect).toEqual({ type: 'http', status: 503 });
    expect(loadRuleFile(file('empty.yaml', ''))).toEqual([]);
  });

  it('TCOCR_FAULTS_FILE is checked at start: every bad rule is reported with its index', () => {
    const bad = file(
      'bad.yaml',
      '- effect: NoSuchCode\n- effect: reset\n  times: -1\n- id: a\n  effect: reset\n- id: a\n  effect: empty\n',
    );
    const [problem, ...rest] = problems({ TCOCR_FAULTS_FILE: bad });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^TCOCR_FAULTS_FILE=.*rules\[0\].*NoSuchCode.*rules\[1\]\.times.*`a` is used twice/);
    expect(problems({ TCOCR_FAULTS_FILE: path.join(dir, 'missing.yaml') })[0]).toMatch(/cannot read .*ENOENT/);
    expect(problems({ TCOCR_FAULTS_FILE: file('broken.json', '{"rules": [') })[0]).toMatch(/not valid JSON/);
  });

  it('TCOCR_RATE_LIMITS, TCOCR_ACCOUNTS, TCOCR_FAULT_SEED, TCOCR_JOURNAL_SIZE', () => {
    const config = loadConfig({
      TCOCR_RATE_LIMITS: 'QrcodeOCR=5,AKID1/QrcodeOCR=2',
      TCOCR_ACCOUNTS: 'AKID1=in-arrears,AKID2=cam-denied:QrcodeOCR,AKID2=daily-quota:3',
      TCOCR_FAULT_SEED: '99',
      TCOCR_JOURNAL_SIZE: '0',
    });
    expect(config.rateLimits).toEqual({ enabled: true, actions: { QrcodeOCR: 5 }, keys: { 'AKID1/QrcodeOCR': 2 } });
    expect(config.accounts).toEqual({
      AKID1: { state: 'in-arrears', camDenied: [] },
      AKID2: { state: 'active', camDenied: ['QrcodeOCR'], dailyQuota: 3 },
    });
    expect(config.faultSeed).toBe(99);
    expect(config.journalSize).toBe(0);
    expect(loadConfig({}).rateLimits).toEqual({
      enabled: true,
      actions: { QrcodeOCR: 10, RecognizeHealthCodeOCR: 10 },
      keys: {},
    });
    expect(loadConfig({ TCOCR_RATE_LIMITS: 'off' }).rateLimits.enabled).toBe(false);
    expect(problems({ TCOCR_RATE_LIMITS: 'QrcodeOCR:5', TCOCR_ACCOUNTS: 'AKID1=broke' })).toHaveLength(2);
  });
});
