/**
 * Writing replies: the only place that turns results and errors into the envelope.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import type { Language } from '../errors/codes.js';
import type { ApiContext } from '../pipeline/context.js';
import { JSON_CONTENT_TYPE, errorBody, successBody } from './envelope.js';
import { TC3_POST_LIMIT_BYTES, v1TooLarge } from './limits.js';

function send(request: FastifyRequest, reply: FastifyReply, body: Buffer): FastifyReply {
  const traceId = request.headers['x-tc-traceid'];
  if (typeof traceId === 'string' && traceId !== '') reply.header('X-TC-TraceId', traceId);
  return reply.code(200).header('Content-Type', JSON_CONTENT_TYPE).send(body);
}

export function sendResult(request: FastifyRequest, reply: FastifyReply, context: ApiContext): FastifyReply {
  request.apiOutcome = { action: context.action?.name, code: undefined };
  return send(request, reply, successBody(context.result ?? {}, request.id));
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApiError,
  language: Language,
): FastifyReply {
  request.apiOutcome = { action: request.apiOutcome?.action, code: error.code };
  const log = { code: error.code, ...(error.details ? { details: error.details } : {}) };
  if (error.code === 'InternalError') request.log.error({ ...log, err: error.cause ?? error }, 'internal error');
  else request.log.debug(log, 'api error');
  return send(request, reply, errorBody(error.code, error.messageIn(language), request.id));
}

/** Any thrown value → the ApiError to answer with. Unknown errors become InternalError. */
export function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyCode = (error as { code?: unknown })?.code;
  const status = (error as { statusCode?: unknown })?.statusCode;
  switch (fastifyCode) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return request.method === 'POST' && request.headers.authorization === undefined
        ? v1TooLarge()
        : new ApiError('RequestSizeLimitExceeded', [String(TC3_POST_LIMIT_BYTES)]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('InvalidRequest', [], { message: 'The request body does not match its Content-Length.' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('InvalidParameter', [], {
        message: 'The Content-Type is not supported; send application/json.',
      });
  }
  if (status === 404) {
    return new ApiError('InvalidAction', [], {
      message: `The path \`${request.url.split('?')[0]}\` does not exist; the API is served at \`/\`.`,
    });
  }
  return new ApiError('InternalError', [], { cause: error });
}
