import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, loadConfig } from '../../src/config.js';
import type { SignedRequest } from '../../support/signer.js';

export const KEY = { secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY };
export const HOST = 'ocr.tencentcloudapi.com';

/**
 * buildApp with test settings; engines start lazily, on the first image that needs one. Rate limits
 * are off (tests fire many calls a second); test/sdk/rate-limit.test.ts turns them on.
 */
export async function testApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  return buildApp(
    loadConfig({
      TCOCR_LOG_LEVEL: 'silent',
      TCOCR_DECODER_WORKERS: '1',
      TCOCR_OCR_WORKERS: '1',
      TCOCR_RATE_LIMITS: 'off',
      ...env,
    }),
  );
}

export interface EnvelopeReply {
  status: number;
  contentType: string | undefined;
  headers: Record<string, unknown>;
  response: Record<string, unknown> & { RequestId: string; Error?: { Code: string; Message: string } };
}

export async function send(app: FastifyInstance, request: SignedRequest): Promise<EnvelopeReply> {
  const reply = await app.inject({
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(request.body ? { payload: request.body } : {}),
  });
  const parsed = JSON.parse(reply.body) as { Response: EnvelopeReply['response'] };
  return {
    status: reply.statusCode,
    contentType: reply.headers['content-type'] as string | undefined,
    headers: reply.headers,
    response: parsed.Response,
  };
}
