/**
 * What a request says about faults itself, and the facts rules are matched against.
 *
 * - `X-TC-Emulator-Fault: <fault>[, <fault>…]` — any SDK that lets callers add headers (Node:
 *   `httpProfile.headers`). Tencent SDKs sign only `content-type;host`, so the header does not
 *   touch the signature.
 * - `ImageUrl: https://error.emulator.invalid/<fault>[/<fault>…]` — no configuration, works from
 *   every SDK and language. `.invalid` never resolves (RFC 2606), so nothing real is ever hit; a
 *   URL that names only delays answers FailedOperation.DownLoadError after them.
 * - `X-TC-Emulator-Test-Id: <id>` — tags the request for rules (`match.testId`) and the journal.
 */
import { createHash } from 'node:crypto';
import { decodeBase64Image } from '../engines/image-input.js';
import { ApiError } from '../errors/api-error.js';
import type { ApiContext } from '../pipeline/context.js';
import { header } from '../protocol/raw-request.js';
import { isPassThrough, parseEffect } from './effects.js';
import type { RequestFacts } from './matcher.js';
import type { FaultRule } from './rule.js';

export const FAULT_HEADER = 'x-tc-emulator-fault';
export const TEST_ID_HEADER = 'x-tc-emulator-test-id';
export const MAGIC_HOST = 'error.emulator.invalid';
/** Most faults one header or one magic ImageUrl may name. */
export const MAX_REQUEST_FAULTS = 16;

function fewEnough(specs: string[]): string[] {
  if (specs.length > MAX_REQUEST_FAULTS) throw new Error(`at most ${MAX_REQUEST_FAULTS} faults, not ${specs.length}`);
  return specs;
}

const stringParam = (context: ApiContext, name: string): string | undefined => {
  const value = context.params?.[name];
  return typeof value === 'string' ? value : undefined;
};

export function testIdOf(context: Pick<ApiContext, 'raw'>): string | undefined {
  const value = header(context.raw, TEST_ID_HEADER)?.trim();
  return value ? value : undefined;
}

export function requestFacts(context: ApiContext): RequestFacts {
  let sha: string | undefined | null = null;
  return {
    action: context.action?.name,
    secretId: context.secretId,
    region: context.common?.region,
    imageUrl: stringParam(context, 'ImageUrl'),
    testId: testIdOf(context),
    imageSha256: () => {
      if (sha === null) {
        const base64 = stringParam(context, 'ImageBase64');
        try {
          sha = base64 === undefined ? undefined : createHash('sha256').update(decodeBase64Image(base64)).digest('hex');
        } catch {
          sha = undefined;
        }
      }
      return sha;
    },
  };
}

const explicitRule = (id: string, source: 'header' | 'url', spec: string): FaultRule => ({
  id,
  source,
  match: {},
  matchInput: {},
  effect: parseEffect(spec),
});

/** `delay/1500/FailedOperation.ImageBlur` → [`delay/1500`, `FailedOperation.ImageBlur`]. */
export function splitFaultPath(path: string): string[] {
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment));
  const specs: string[] = [];
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if ((segment === 'delay' || segment === 'http') && i + 1 < segments.length)
      specs.push(`${segment}/${segments[++i]}`);
    else specs.push(segment);
  }
  return specs;
}

function magicUrlRules(imageUrl: string | undefined): FaultRule[] {
  if (imageUrl === undefined) return [];
  let url: URL;
  try {
    url = new URL(imageUrl);
  } catch {
    return [];
  }
  if (url.hostname.toLowerCase() !== MAGIC_HOST || !/^https?:$/.test(url.protocol)) return [];
  let rules: FaultRule[];
  try {
    rules = fewEnough(splitFaultPath(url.pathname)).map((spec, index) => explicitRule(`url:${index + 1}`, 'url', spec));
  } catch (error) {
    throw new ApiError('FailedOperation.DownLoadError', [], {
      message: `File download failed: ${MAGIC_HOST} serves only faults; ${(error as Error).message}.`,
    });
  }
  if (rules.every((rule) => isPassThrough(rule.effect))) {
    rules.push({
      ...explicitRule(`url:${rules.length + 1}`, 'url', 'FailedOperation.DownLoadError'),
      effect: {
        type: 'error',
        code: 'FailedOperation.DownLoadError',
        message: `File download failed: ${MAGIC_HOST} serves only faults.`,
      },
    });
  }
  return rules;
}

function headerRules(value: string | undefined): FaultRule[] {
  if (value === undefined || value.trim() === '') return [];
  try {
    const specs = value
      .split(',')
      .map((spec) => spec.trim())
      .filter(Boolean);
    return fewEnough(specs).map((spec, index) => explicitRule(`header:${index + 1}`, 'header', spec));
  } catch (error) {
    throw new ApiError('InvalidParameterValue', ['X-TC-Emulator-Fault'], {
      message: `X-TC-Emulator-Fault: ${(error as Error).message}.`,
    });
  }
}

/** The request's own faults, header first, then the ImageUrl's. */
export function explicitFaults(context: ApiContext): FaultRule[] {
  return [...headerRules(header(context.raw, FAULT_HEADER)), ...magicUrlRules(stringParam(context, 'ImageUrl'))];
}
