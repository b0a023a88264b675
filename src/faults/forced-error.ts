/**
 * A forced Tencent error. Codes whose message has placeholders (`{0}`, `{1}`) get plausible
 * values for this request, so a forced RequestLimitExceeded reads like a real one.
 */
import { ApiError } from '../errors/api-error.js';
import type { ErrorCode } from '../errors/codes.js';
import type { ApiContext } from '../pipeline/context.js';

function placeholderArgs(code: ErrorCode, context: ApiContext): string[] {
  const action = context.action?.name ?? context.common?.action ?? '';
  const imageParam = context.params?.ImageUrl !== undefined ? 'ImageUrl' : 'ImageBase64';
  switch (code) {
    case 'RequestLimitExceeded': {
      const limit = context.controls.rateLimiter.limitFor(context.secretId ?? '', action) || 10;
      return [String(limit + 1), String(limit)];
    }
    case 'ActionOffline':
      return [action];
    case 'NoSuchVersion':
      return [context.common?.version ?? ''];
    case 'UnsupportedProtocol':
      return [context.raw.method];
    case 'AuthFailure.InvalidAuthorization':
      return ['forced by the emulator.'];
    case 'RequestSizeLimitExceeded':
      return [String(10 * 1024 * 1024)];
    case 'InvalidParameterValue.InvalidParameterValueLimit':
      return [`${imageParam} is not valid.`];
    default:
      return [imageParam];
  }
}

export function forcedError(code: ErrorCode, message: string | undefined, context: ApiContext): ApiError {
  return new ApiError(code, placeholderArgs(code, context), message !== undefined ? { message } : {});
}
