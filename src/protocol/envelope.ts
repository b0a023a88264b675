/**
 * The Tencent reply envelope (PROTOCOL.md §4): HTTP 200 for every API outcome, Content-Type
 * exactly `application/json` (the Python SDK ignores errors under any other type), body
 * `{"Response":{…,"RequestId"}}`. Bodies are sent as bytes so Fastify adds no charset.
 */
export const JSON_CONTENT_TYPE = 'application/json';

export function successBody(result: Readonly<Record<string, unknown>>, requestId: string): Buffer {
  return Buffer.from(JSON.stringify({ Response: { ...result, RequestId: requestId } }));
}

export function errorBody(code: string, message: string, requestId: string): Buffer {
  return Buffer.from(JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } }));
}

/** A complete raw HTTP/1.1 response, for errors found before Fastify has a request (header overflow). */
export function rawHttpResponse(body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `HTTP/1.1 200 OK\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    ),
    body,
  ]);
}
