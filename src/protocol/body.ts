/**
 * Parsers from raw bytes to parameters. The raw bytes stay untouched for signing (§1.2: never
 * re-serialise before hashing); these only produce the values the action sees.
 */
import { ApiError } from '../errors/api-error.js';
import { jsonNestsDeeperThan } from './json-depth.js';
import { MAX_JSON_DEPTH } from './limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ApiError('InvalidParameter', [], { message: `The ${what} is not valid UTF-8.` });
  }
}

/** application/x-www-form-urlencoded (also the query string): `+` is a space; last value wins. */
export function parseForm(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) params.set(name, value);
  return params;
}

export function parseFormBody(body: Uint8Array): Map<string, string> {
  return parseForm(decodeUtf8(body, 'request body'));
}

/** A JSON body must be one object; an empty body means "no parameters". */
export function parseJsonBody(body: Uint8Array): Record<string, unknown> {
  if (body.length === 0) return {};
  const text = decodeUtf8(body, 'request body');
  if (text.trim() === '') return {};
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ApiError('InvalidParameter', [], {
      message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError('InvalidParameter', [], {
      message: 'The request body is not valid JSON.',
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('InvalidParameter', [], { message: 'The request body must be a JSON object.' });
  }
  return value as Record<string, unknown>;
}

/**
 * multipart/form-data with text fields (PROTOCOL.md §1.7: Node and Python's multipart option).
 * A body that does not follow the framing answers InvalidRequest.
 */
export function parseMultipart(body: Buffer, contentType: string): Map<string, string> {
  const malformed = (why: string) =>
    new ApiError('InvalidRequest', [], { message: `The multipart body is malformed: ${why}.` });
  const boundaryMatch = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) throw malformed('no boundary in Content-Type');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = new Map<string, string>();
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed('boundary not found');
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return fields;
    if (body.subarray(position, position + 2).toString() !== '\r\n') throw malformed('bad delimiter line');
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd < 0) throw malformed('part headers not terminated');
    const partHeaders = body.subarray(position, headerEnd).toString('latin1');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw malformed('closing boundary missing');
    const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(partHeaders)?.[1];
    if (name === undefined) throw malformed('part without a name');
    fields.set(name, decodeUtf8(body.subarray(headerEnd + 4, next), `multipart field ${name}`));
    position = next + 2;
  }
}
