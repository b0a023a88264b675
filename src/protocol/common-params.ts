/**
 * Where the common parameters live (PROTOCOL.md §3): TC3 requests carry them in `X-TC-*` headers
 * and only business parameters in the body or query; v1 requests carry everything as parameters.
 */
import { ApiError } from '../errors/api-error.js';
import { parseForm, parseFormBody, parseJsonBody, parseMultipart } from './body.js';
import { type RawRequest, header, mediaType, splitUrl } from './raw-request.js';

export type SignatureKind = 'tc3' | 'v1';

export interface CommonParams {
  kind: SignatureKind;
  action: string | undefined;
  version: string | undefined;
  region: string | undefined;
  timestamp: string | undefined;
  token: string | undefined;
  language: string | undefined;
  /** v1 only: every decoded parameter, the input of the v1 string to sign. */
  v1Params: ReadonlyMap<string, string> | undefined;
}

/** Parameter names v1 uses for protocol, not business, values. */
export const V1_COMMON_NAMES: ReadonlySet<string> = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'SignatureMethod',
  'Signature',
  'Token',
  'Language',
  'RequestClient',
]);

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

export function readCommonParams(raw: RawRequest): CommonParams {
  if (header(raw, 'authorization') !== undefined) {
    return {
      kind: 'tc3',
      action: nonEmpty(header(raw, 'x-tc-action')),
      version: nonEmpty(header(raw, 'x-tc-version')),
      region: nonEmpty(header(raw, 'x-tc-region')),
      timestamp: nonEmpty(header(raw, 'x-tc-timestamp')),
      token: nonEmpty(header(raw, 'x-tc-token')),
      language: nonEmpty(header(raw, 'x-tc-language')),
      v1Params: undefined,
    };
  }
  const params = readV1Params(raw);
  return {
    kind: 'v1',
    action: nonEmpty(params.get('Action')),
    version: nonEmpty(params.get('Version')),
    region: nonEmpty(params.get('Region')),
    timestamp: nonEmpty(params.get('Timestamp')),
    token: nonEmpty(params.get('Token')),
    language: nonEmpty(params.get('Language')),
    v1Params: params,
  };
}

function readV1Params(raw: RawRequest): Map<string, string> {
  const params = parseForm(splitUrl(raw.url).query);
  if (raw.method === 'POST' && raw.body.length > 0) {
    const type = mediaType(raw);
    const fromBody =
      type === 'multipart/form-data'
        ? parseMultipart(raw.body, header(raw, 'content-type') ?? '')
        : parseFormBody(raw.body);
    for (const [name, value] of fromBody) params.set(name, value);
  }
  return params;
}

/**
 * The business parameters, parsed only after the signature was checked. Values from the query,
 * a form or multipart arrive as strings; the action's schema coerces them.
 */
export function readBusinessParams(raw: RawRequest, common: CommonParams): Record<string, unknown> {
  if (common.kind === 'v1') {
    const business: Record<string, unknown> = {};
    for (const [name, value] of common.v1Params ?? []) if (!V1_COMMON_NAMES.has(name)) business[name] = value;
    return business;
  }
  if (raw.method !== 'POST') return Object.fromEntries(parseForm(splitUrl(raw.url).query));
  const type = mediaType(raw);
  switch (type) {
    case 'application/json':
    case '':
      return parseJsonBody(raw.body);
    case 'multipart/form-data':
      return Object.fromEntries(parseMultipart(raw.body, header(raw, 'content-type') ?? ''));
    case 'application/x-www-form-urlencoded':
      return Object.fromEntries(parseFormBody(raw.body));
    default:
      throw new ApiError('InvalidParameter', [], {
        message: `The Content-Type \`${type}\` is not supported; send application/json.`,
      });
  }
}
