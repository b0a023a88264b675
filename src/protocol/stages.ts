/**
 * The protocol stages of the API pipeline. Their order is written down once, in src/app.ts.
 */
import { validateParams } from '../actions/params.js';
import { API_VERSION, actionNamed } from '../actions/registry.js';
import { ApiError } from '../errors/api-error.js';
import { authenticate } from './auth.js';
import { readBusinessParams, readCommonParams } from './common-params.js';
import type { Stage } from '../pipeline/context.js';
import { header } from './raw-request.js';
import { GET_LIMIT_BYTES, V1_POST_LIMIT_BYTES, v1TooLarge } from './limits.js';
import { KNOWN_REGIONS } from './regions.js';

export const checkMethod: Stage = ({ raw }) => {
  if (raw.method !== 'GET' && raw.method !== 'POST') throw new ApiError('UnsupportedProtocol', [raw.method]);
};

/** HTTP/1.1 requires Host (RFC 9112 §3.2); Node's own refusal would be a bare 400, so it is answered here. */
export const checkHost: Stage = ({ raw }) => {
  if (raw.httpVersion === '1.1' && !header(raw, 'host')) {
    throw new ApiError('InvalidRequest', [], { message: 'The request has no Host header.' });
  }
};

export const checkSize: Stage = ({ raw }) => {
  if (raw.method === 'GET' && Buffer.byteLength(raw.url) > GET_LIMIT_BYTES) {
    throw new ApiError('RequestSizeLimitExceeded', [String(GET_LIMIT_BYTES)]);
  }
  if (raw.method === 'POST' && header(raw, 'authorization') === undefined && raw.body.length > V1_POST_LIMIT_BYTES) {
    throw v1TooLarge();
  }
};

export const readCommon: Stage = (context) => {
  const common = readCommonParams(context.raw);
  context.common = common;
  if (common.language === 'zh-CN' || common.language === 'en-US') context.language = common.language;
  else if (common.language !== undefined) {
    throw new ApiError('InvalidParameterValue', [common.kind === 'tc3' ? 'X-TC-Language' : 'Language']);
  }
};

export const checkSignature: Stage = (context) => {
  const { secretId } = authenticate(context.raw, context.common!, {
    credentials: context.credentials,
    mode: context.config.signature,
    nowSeconds: Math.floor(context.receivedAt / 1000) + context.config.clockOffsetSeconds,
    maxSkewSeconds: context.config.clockSkewSeconds,
  });
  context.secretId = secretId;
};

export const routeAction: Stage = (context) => {
  const common = context.common!;
  if (common.action === undefined) throw new ApiError('MissingParameter', ['Action']);
  const action = actionNamed(common.action);
  if (!action) throw new ApiError('InvalidAction');
  if (common.version === undefined) throw new ApiError('MissingParameter', ['Version']);
  if (common.version !== API_VERSION) throw new ApiError('NoSuchVersion', [common.version]);
  if (common.region !== undefined) {
    if (!KNOWN_REGIONS.has(common.region)) {
      throw new ApiError('InvalidParameterValue', [common.kind === 'tc3' ? 'X-TC-Region' : 'Region']);
    }
    const offered = action.regions(context.config);
    if (offered !== '*' && !offered.includes(common.region)) throw new ApiError('UnsupportedRegion');
  }
  if (action.offline(context.config)) throw new ApiError('ActionOffline', [action.name]);
  context.action = action;
};

export const readParams: Stage = (context) => {
  context.params = validateParams(context.action!.params, readBusinessParams(context.raw, context.common!));
};

export const runAction: Stage = async (context) => {
  if (context.result !== undefined) return; // answered from a recording (src/replay/stage.ts)
  context.result = await context.action!.handle(context.params!, {
    requestId: context.requestId,
    config: context.config,
    engines: context.engines,
    log: context.log,
    seen: context.seen,
  });
};
