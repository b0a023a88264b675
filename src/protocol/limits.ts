/**
 * Every size limit of the API side in one place: request sizes (PROTOCOL.md §0), how much of an
 * oversized body is drained before answering, how deep a JSON body may nest, and the answer the
 * real service gives a v1 POST over its limit.
 */
import { ApiError } from '../errors/api-error.js';

/** PROTOCOL.md §0: GET request ≤ 32 KB; POST signed with v1 ≤ 1 MB; TC3 ≤ 10 MB (body limit). */
export const GET_LIMIT_BYTES = 32 * 1024;
export const V1_POST_LIMIT_BYTES = 1024 * 1024;
export const TC3_POST_LIMIT_BYTES = 10 * 1024 * 1024;

/** Most bytes of a refused body read and thrown away so that its client gets the answer. */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** Deepest nesting of arrays and objects accepted in a request body. */
export const MAX_JSON_DEPTH = 64;

/** What the real service answered to a v1 POST over 1 MB (PROTOCOL.md §1.5 #2). */
export function v1TooLarge(): ApiError {
  return new ApiError('AuthFailure.SignatureFailure', [], {
    message:
      'The provided credentials could not be validated because of exceeding request size limit, please use new signature method `TC3-HMAC-SHA256`.',
  });
}
