/**
 * The stages of the emulated service's own rules about accounts; their place in the order is
 * written down in src/app.ts.
 *
 *   checkCam           after routing: AuthFailure.UnauthorizedOperation (PROTOCOL.md §1.5 #13)
 *   checkRateLimit     after CAM: RequestLimitExceeded (§1.5 #15)
 *   checkAccountState  after parameters: billing states and the daily quota (business codes, §6.3)
 */
import { ApiError } from '../errors/api-error.js';
import type { Stage } from '../pipeline/context.js';

export const checkCam: Stage = (context) => {
  const code = context.controls.accounts.camCheck(context.secretId ?? '', context.action!.name);
  if (code) throw new ApiError(code);
};

export const checkRateLimit: Stage = (context) => {
  const decision = context.controls.rateLimiter.check(context.secretId ?? '', context.action!.name);
  if (decision.limited) throw new ApiError('RequestLimitExceeded', [String(decision.count), String(decision.limit)]);
};

export const checkAccountState: Stage = (context) => {
  const code = context.controls.accounts.stateCheck(context.secretId ?? '');
  if (code) throw new ApiError(code);
};
