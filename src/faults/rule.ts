/**
 * A fault rule: when a request matches, apply an effect, `times` times or always, optionally with
 * a probability. The input schema (TypeBox, so also the JSON Schema the OpenAPI document shows)
 * and `normalizeRule`, which turns an input into the checked form the matcher works on.
 *
 *   { "id": "blur-twice", "match": { "action": "QrcodeOCR", "testId": "t-1" },
 *     "effect": "FailedOperation.ImageBlur", "times": 2 }
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { OCR_ACTIONS } from '../actions/ocr-actions.js';
import { isErrorCode } from '../errors/codes.js';
import { type FaultEffect, checkDelay, checkHttp, parseEffect } from './effects.js';
import { checkResultSize } from './result-limits.js';
import { MAX_PATTERN_LENGTH, type UrlPattern, urlPattern } from './url-pattern.js';

const Name = Type.String({ minLength: 1, maxLength: 256 });
const Names = Type.Union([Name, Type.Array(Name, { minItems: 1 })]);

export const MatchSchema = Type.Object(
  {
    action: Type.Optional(Names),
    secretId: Type.Optional(Names),
    region: Type.Optional(Names),
    imageSha256: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })], {
        description: 'SHA-256 (hex) of the image bytes sent as ImageBase64.',
      }),
    ),
    imageUrl: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_PATTERN_LENGTH,
        description:
          'A glob (`*` = any characters) the whole ImageUrl must match, or `/regex/` in RE2 syntax (optionally `/regex/i`); matched in linear time.',
      }),
    ),
    testId: Type.Optional(
      Type.Union([Name, Type.Array(Name, { minItems: 1 })], {
        description: 'Value of the X-TC-Emulator-Test-Id request header.',
      }),
    ),
    nth: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Only the n-th call (1-based) that matches the other criteria.' }),
    ),
  },
  { additionalProperties: false, description: 'Every criterion given must hold; none given: every API request.' },
);

export const EffectSchema = Type.Union([
  Type.String({
    description: 'One-line form: an error code, delay/<ms>, delay/<min>-<max>, http/<status>, reset, empty, malformed.',
  }),
  Type.Object(
    { type: Type.Literal('error'), code: Type.String(), message: Type.Optional(Type.String()) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('delay'),
      ms: Type.Optional(Type.Integer({ minimum: 0 })),
      minMs: Type.Optional(Type.Integer({ minimum: 0 })),
      maxMs: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('http'),
      status: Type.Integer({ minimum: 200, maximum: 599 }),
      body: Type.Optional(Type.String()),
      contentType: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Union([Type.Literal('reset'), Type.Literal('empty'), Type.Literal('malformed')]) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('success'),
      result: Type.Record(Type.String(), Type.Unknown(), { description: 'The Response fields, without RequestId.' }),
    },
    { additionalProperties: false },
  ),
]);

export const RuleSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    match: Type.Optional(MatchSchema),
    effect: EffectSchema,
    times: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Fire this many times, then never again; absent: always.' }),
    ),
    probability: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Chance to fire on a matching call, drawn from the seeded generator (TCOCR_FAULT_SEED).',
      }),
    ),
  },
  { additionalProperties: false },
);

export type RuleInput = Static<typeof RuleSchema>;

export interface RuleMatch {
  readonly action?: readonly string[];
  readonly secretId?: readonly string[];
  readonly region?: readonly string[];
  readonly imageSha256?: readonly string[];
  readonly imageUrl?: UrlPattern;
  readonly testId?: readonly string[];
  readonly nth?: number;
}

export type RuleSource = 'file' | 'api' | 'header' | 'url';

export interface FaultRule {
  readonly id: string;
  readonly source: RuleSource;
  readonly description?: string;
  readonly match: RuleMatch;
  /** The match as given, for listing the rule back. */
  readonly matchInput: Readonly<Record<string, unknown>>;
  readonly effect: FaultEffect;
  readonly times?: number;
  readonly probability?: number;
}

const list = (value: string | readonly string[] | undefined) =>
  value === undefined ? undefined : typeof value === 'string' ? [value] : [...value];

function normalizeEffect(input: RuleInput['effect']): FaultEffect {
  if (typeof input === 'string') return parseEffect(input);
  switch (input.type) {
    case 'error':
      if (!isErrorCode(input.code)) throw new Error(`\`${input.code}\` is not an error code of the emulator's table`);
      return { type: 'error', code: input.code, ...(input.message !== undefined ? { message: input.message } : {}) };
    case 'delay': {
      const minMs = input.ms ?? input.minMs;
      const maxMs = input.ms ?? input.maxMs ?? minMs;
      if (minMs === undefined || maxMs === undefined) throw new Error('a delay needs `ms`, or `minMs` and `maxMs`');
      return checkDelay(minMs, maxMs);
    }
    case 'http':
      return checkHttp(input.status, input.body, input.contentType);
    case 'success':
      checkResultSize(input.result);
      return { type: 'success', result: input.result };
    default:
      return { type: input.type };
  }
}

/**
 * Input → rule, or an Error listing what is wrong (`where` prefixes each problem, e.g. `rules[2]`).
 * `id` is kept when given, else made by `makeId`.
 */
export function normalizeRule(input: unknown, source: RuleSource, makeId: () => string, where = 'rule'): FaultRule {
  if (!Value.Check(RuleSchema, input)) {
    const errors = [...Value.Errors(RuleSchema, input)].map((error) => ({ path: error.path, message: error.message }));
    // For an effect object, the errors of the variant its `type` names say more than "union".
    const effect = (input as { effect?: unknown } | null)?.effect as { type?: unknown } | undefined;
    const variant = EffectSchema.anyOf.find((schema) =>
      Value.Check(schema.properties?.type ?? Type.Never(), effect?.type),
    );
    const specific =
      variant && typeof effect === 'object'
        ? [...Value.Errors(variant, effect)].map((error) => ({ path: `/effect${error.path}`, message: error.message }))
        : [];
    const problems = [...errors.filter((error) => !(specific.length > 0 && error.path === '/effect')), ...specific]
      .slice(0, 5)
      .map((error) => `${where}${error.path.replace(/\//g, '.')}: ${error.message}`);
    throw new Error(problems.join('; ') || `${where}: not a valid rule`);
  }
  let effect: FaultEffect;
  let imageUrl: UrlPattern | undefined;
  try {
    effect = normalizeEffect(input.effect);
    imageUrl = input.match?.imageUrl === undefined ? undefined : urlPattern(input.match.imageUrl);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  const match = input.match ?? {};
  const unknown = list(match.action)?.filter((name) => !OCR_ACTIONS.has(name));
  if (unknown?.length)
    throw new Error(
      `${where}.match.action: ${unknown.map((n) => JSON.stringify(n)).join(', ')} is not an action of the OCR API 2018-11-19 (e.g. QrcodeOCR, GeneralBasicOCR)`,
    );
  const sha = list(match.imageSha256)?.map((hash) => hash.toLowerCase());
  if (sha?.some((hash) => !/^[0-9a-f]{64}$/.test(hash)))
    throw new Error(`${where}.match.imageSha256: must be 64 hex digits`);
  return {
    id: input.id ?? makeId(),
    source,
    ...(input.description !== undefined ? { description: input.description } : {}),
    match: {
      ...(match.action !== undefined ? { action: list(match.action)! } : {}),
      ...(match.secretId !== undefined ? { secretId: list(match.secretId)! } : {}),
      ...(match.region !== undefined ? { region: list(match.region)! } : {}),
      ...(sha ? { imageSha256: sha } : {}),
      ...(imageUrl ? { imageUrl } : {}),
      ...(match.testId !== undefined ? { testId: list(match.testId)! } : {}),
      ...(match.nth !== undefined ? { nth: match.nth } : {}),
    },
    matchInput: match,
    effect,
    ...(input.times !== undefined ? { times: input.times } : {}),
    ...(input.probability !== undefined ? { probability: input.probability } : {}),
  };
}

/** A fault applied to one request, as the journal and metrics show it. */
export interface AppliedFault {
  readonly id: string;
  readonly source: RuleSource;
  /** `describeEffect` label, e.g. `error:InternalError`, `delay:1500`, `reset`. */
  readonly effect: string;
}
