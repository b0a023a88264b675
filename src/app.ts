/**
 * buildApp(config) → a Fastify instance serving the Tencent Cloud API 3.0 endpoint `/` and the
 * control plane. It never listens (src/server.ts and src/index.ts do).
 *
 * THE REQUEST PIPELINE, in order (PROTOCOL.md §1.5; one stage per line of API_PIPELINE):
 *   1. onRequest: a fresh lower-case UUID is the request id: Response.RequestId and the log's reqId.
 *   2. Body parsing keeps the raw bytes (the TC3 payload hash is over them); over 10 MB:
 *      RequestSizeLimitExceeded, answered once the rest of the body is read and discarded.
 *   3. API_PIPELINE stages: method → Host → size → common parameters → signature → action, version and
 *      region → CAM → rate limit → business parameters → account state → forced faults → the
 *      recorded answer (replay mode) → the action itself.
 *   4. Every outcome, success or error, leaves as the Tencent envelope (src/protocol/reply.ts),
 *      HTTP 200, Content-Type exactly application/json; X-TC-TraceId is echoed.
 *   5. onResponse: one log line with action, error code and latency; the request journal and the
 *      metrics record it (src/journal, src/metrics). A client that leaves first ends the pipeline
 *      where it waits (fault delays) and is recorded then, as `aborted`.
 *
 * Timeouts: TCOCR_REQUEST_TIMEOUT_MS bounds receiving a request (headers and body) only. Once
 * received, a request is answered however long that takes (fault delays are capped, engine work
 * has TCOCR_DECODE_TIMEOUT_MS): no socket idle timeout cuts a slow answer.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { registerAdmin } from './admin/routes.js';
import type { Config } from './config.js';
import { type Engines, createEngines } from './engines/engines.js';
import type { ApiContext, Stage } from './pipeline/context.js';
import { runStages } from './pipeline/run.js';
import { createControls } from './faults/controls.js';
import { FaultReply, sendFaultReply } from './faults/reply.js';
import * as faults from './faults/stages.js';
import * as service from './service/stages.js';
import * as replay from './replay/stage.js';
import { ImageStore } from './journal/images.js';
import { Journal } from './journal/journal.js';
import { RequestObserver } from './journal/observer.js';
import { ClientGone, clientGoneSignal } from './protocol/client-gone.js';
import { drainBody } from './protocol/drain.js';
import { TC3_POST_LIMIT_BYTES } from './protocol/limits.js';
import { Metrics } from './metrics/metrics.js';
import { credentialStore } from './protocol/credentials.js';
import { rawHttpResponse, errorBody } from './protocol/envelope.js';
import { sendError, sendResult, toApiError } from './protocol/reply.js';
import * as stage from './protocol/stages.js';

/** The API pipeline. The order is the protocol: change it only with PROTOCOL.md §1.5 at hand. */
export const API_PIPELINE: readonly Stage[] = [
  stage.checkMethod, //    UnsupportedProtocol
  stage.checkHost, //      InvalidRequest: an HTTP/1.1 request without Host
  stage.checkSize, //      RequestSizeLimitExceeded; v1 POST > 1 MB: AuthFailure.SignatureFailure
  stage.readCommon, //     X-TC-* headers (TC3) or parameters (v1); Language
  stage.checkSignature, // AuthFailure.* (InvalidAuthorization, SecretIdNotFound, TokenFailure, SignatureExpire, SignatureFailure)
  stage.routeAction, //    MissingParameter, InvalidAction, NoSuchVersion, InvalidParameterValue, UnsupportedRegion, ActionOffline
  service.checkCam, //      AuthFailure.UnauthorizedOperation: an account CAM denies the action (TCOCR_ACCOUNTS, admin API)
  service.checkRateLimit, // RequestLimitExceeded: per SecretId and action per second (TCOCR_RATE_LIMITS)
  stage.readParams, //     UnknownParameter, InvalidParameter, InvalidRequest
  service.checkAccountState, // FailedOperation.UnOpenError, ResourcesSoldOut.ChargeStatusException, ResourceUnavailable.*, LimitExceeded (daily quota)
  faults.applyFaults, //   forced faults: X-TC-Emulator-Fault header, ImageUrl on error.emulator.invalid, rules (file, admin API)
  replay.answerFromRecording, // TCOCR_MODE=replay: the recorded answer of this call, if there is one
  stage.runAction, //      the action's business codes
];

export interface BuildOptions {
  /** A pino logger to use instead of one made from config.logLevel. */
  logger?: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiOutcome?: { action: string | undefined; code: string | undefined };
  }
  interface FastifyInstance {
    engines: Engines;
  }
}

const ALL_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

export async function buildApp(config: Readonly<Config>, options: BuildOptions = {}): Promise<FastifyInstance> {
  const loggerOptions = options.logger ? { loggerInstance: options.logger } : { logger: { level: config.logLevel } };
  const app = Fastify({
    ...loggerOptions,
    genReqId: () => randomUUID(),
    // One log line per API request comes from the onResponse hook below, not Fastify's own pair.
    logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
    bodyLimit: TC3_POST_LIMIT_BYTES,
    // 32 KB GET URLs must fit in the header section; larger heads get an envelope from clientErrorHandler.
    // Request timeouts are enforced by a periodic sweep (Node's default: every 30 s): sweep often
    // enough that TCOCR_REQUEST_TIMEOUT_MS means what it says. They cover receiving only.
    // Host is checked by the pipeline (an envelope, not Node's bare 400).
    http: {
      maxHeaderSize: 64 * 1024,
      requireHostHeader: false,
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    // A slow or idle client cannot hold a connection (slowloris): headers and body must arrive
    // within TCOCR_REQUEST_TIMEOUT_MS, idle keep-alive connections close. No socket idle timeout
    // (connectionTimeout): it would also cut answers that take longer than it, e.g. a fault delay.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 0,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    return503OnClosing: false,
    clientErrorHandler: (error, socket) => {
      // Errors before a request exists (header overflow, bad HTTP): answer with an envelope when
      // the socket can still take it, otherwise just close.
      if (!socket.writable) return socket.destroy();
      const reason = (error as NodeJS.ErrnoException).code;
      const code = reason === 'HPE_HEADER_OVERFLOW' ? 'RequestSizeLimitExceeded' : 'InvalidRequest';
      const message =
        reason === 'HPE_HEADER_OVERFLOW'
          ? 'The request headers exceed the size limit.'
          : reason === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? 'The request was not received completely in time.'
            : 'The HTTP request is malformed.';
      socket.end(rawHttpResponse(errorBody(code, message, randomUUID())));
    },
  }) as unknown as FastifyInstance;

  const engines = createEngines(config);
  const credentials = credentialStore(config.credentials);
  const controls = createControls(config);
  const observer = new RequestObserver(
    new Journal(config.journalSize, config.journalMaxMb * 1024 * 1024),
    new Metrics(),
    new ImageStore(config.journalImageMb * 1024 * 1024),
  );
  app.decorate('engines', engines);
  app.addHook('onClose', async () => engines.close());
  app.addHook('preClose', async () => controls.close()); // cuts fault delays and journal long-polls short

  // Keep every body as raw bytes, whatever its Content-Type (or none).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler(async (error, request, reply) => {
    // A refused body is read to its end (up to a bound) first, or its client sees EPIPE, not the answer.
    if ((error as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drainBody(request.raw);
    return sendError(request, reply, toApiError(error, request), 'en-US');
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, toApiError(Object.assign(new Error('not found'), { statusCode: 404 }), request), 'en-US'),
  );

  app.route({
    method: [...ALL_METHODS],
    url: '/',
    handler: async (request, reply) => {
      const context: ApiContext = {
        requestId: request.id,
        receivedAt: Date.now(),
        raw: {
          method: request.method,
          url: request.raw.url ?? '/',
          headers: request.headers,
          body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          httpVersion: request.raw.httpVersion,
        },
        config,
        engines,
        credentials,
        controls,
        log: request.log as unknown as Logger,
        clientGone: clientGoneSignal(reply.raw),
        language: 'en-US',
        seen: {},
      };
      observer.start(request, context);
      try {
        await runStages(API_PIPELINE, context);
        return sendResult(request, reply, context);
      } catch (error) {
        // The client left (already recorded as `aborted`): there is no one to answer.
        if (error instanceof ClientGone || context.clientGone.aborted) return reply.hijack();
        request.apiOutcome = { action: context.action?.name ?? context.common?.action, code: undefined };
        // Faults answered without a Tencent error (raw status, reset, empty, malformed, canned result).
        if (error instanceof FaultReply)
          return sendFaultReply(request, reply, error, context, () => observer.finish(request, undefined));
        context.error = toApiError(error, request);
        return sendError(request, reply, context.error, context.language);
      }
    },
  });

  if (config.admin) registerAdmin(app, config, { controls, observer });

  app.addHook('onResponse', (request, reply, done) => {
    observer.finish(request, reply);
    if (!request.apiOutcome) return done();
    request.log.info(
      {
        action: request.apiOutcome.action,
        code: request.apiOutcome.code ?? 'OK',
        latencyMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'api request',
    );
    done();
  });

  return app;
}
