/**
 * A listening emulator on 127.0.0.1 and official Node SDK clients pointed at it.
 */
import { ocr } from 'tencentcloud-sdk-nodejs/tencentcloud/services/ocr/index.js';
import { type EngineName, type RunningEmulator, startEmulator } from '../../src/index.js';

// The Node SDK sends everything through a proxy agent when http_proxy is set (PROTOCOL.md §7.1).
delete process.env.http_proxy;
delete process.env.HTTP_PROXY;

export type OcrClient = InstanceType<typeof ocr.v20181119.Client>;

/**
 * Warms only the barcode engine unless told otherwise; the OCR engine then starts on first use.
 * Rate limits are off (tests fire many calls a second); test/sdk/rate-limit.test.ts turns them on.
 */
export async function startTestEmulator(
  env: Record<string, string> = {},
  warm: boolean | readonly EngineName[] = ['barcode'],
): Promise<RunningEmulator> {
  return startEmulator({
    env: {
      TCOCR_LOG_LEVEL: 'silent',
      TCOCR_DECODER_WORKERS: '1',
      TCOCR_OCR_WORKERS: '1',
      TCOCR_RATE_LIMITS: 'off',
      ...env,
    },
    warm,
  });
}

export interface ClientOptions {
  signMethod?: 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1';
  reqMethod?: 'POST' | 'GET';
  region?: string;
  language?: 'zh-CN' | 'en-US';
  secretId?: string;
  secretKey?: string;
  token?: string;
  endpoint?: string;
  headers?: Record<string, string>;
  /** Seconds the SDK waits for an answer (default 30). */
  reqTimeout?: number;
}

export function sdkClient(emulator: RunningEmulator, options: ClientOptions = {}): OcrClient {
  return new ocr.v20181119.Client({
    credential: {
      secretId: options.secretId ?? emulator.credentials.secretId,
      secretKey: options.secretKey ?? emulator.credentials.secretKey,
      ...(options.token ? { token: options.token } : {}),
    },
    region: options.region ?? 'ap-guangzhou',
    profile: {
      signMethod: options.signMethod ?? 'TC3-HMAC-SHA256',
      ...(options.language ? { language: options.language } : {}),
      httpProfile: {
        protocol: 'http://',
        endpoint: options.endpoint ?? emulator.endpoint,
        reqMethod: options.reqMethod ?? 'POST',
        reqTimeout: options.reqTimeout ?? 30,
        ...(options.headers ? { headers: options.headers } : {}),
      },
    },
  });
}

/** The Tencent error code the SDK rejected with (fails the test if the call succeeded). */
export async function errorCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string') return code;
    throw error;
  }
  throw new Error('the call succeeded; an error was expected');
}
