/**
 * /_emulator/requests: the request journal — filter, count, look up by RequestId, wait for a match.
 */
import type { JournalFilter } from '../journal/journal.js';
import { type CandidateKey, MAX_OTHER_KEYS, type Tc3Inputs, checkTc3Signature } from '../protocol/signature-check.js';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  type AdminDeps,
  AdminError,
  type AdminRoute,
  BooleanQuery,
  IntegerQuery,
  TimeQuery,
  adminRoute,
  isOn,
  timeParam,
} from './route.js';

/** Longest a long-poll may wait (under the server's 60 s request timeout). */
export const MAX_WAIT_MS = 30_000;

const FILTER_PARAMS = {
  action: Type.Optional(Type.String({ description: 'Action name, e.g. QrcodeOCR.' })),
  code: Type.Optional(
    Type.String({
      description: '`OK`, a Tencent error code, or a transport fault (`http:502`, `malformed`, `empty`, `reset`).',
    }),
  ),
  secretId: Type.Optional(
    Type.String({ description: 'The SecretId the request was signed with (or claimed, when its signature failed).' }),
  ),
  testId: Type.Optional(Type.String({ description: 'The X-TC-Emulator-Test-Id request header.' })),
  faulted: BooleanQuery('Only requests a fault was (true) or was not (false) applied to.'),
  since: TimeQuery('Received at or after: ISO 8601 or epoch milliseconds.'),
  until: TimeQuery('Received before: ISO 8601 or epoch milliseconds.'),
  after: IntegerQuery(0, Number.MAX_SAFE_INTEGER, 'Only entries with a larger `seq`.'),
};
const FilterQuery = Type.Object(FILTER_PARAMS);

export function journalFilter(query: Static<typeof FilterQuery>): JournalFilter {
  return {
    action: query.action,
    code: query.code,
    secretId: query.secretId,
    testId: query.testId,
    faulted: isOn(query.faulted),
    since: timeParam(query.since, 'since'),
    until: timeParam(query.until, 'until'),
    after: query.after,
  };
}

const optionalRecord = (value: TSchema, description: string) =>
  Type.Optional(Type.Record(Type.String(), value, { description }));

export const JournalEntrySchema = Type.Object(
  {
    seq: Type.Integer(),
    requestId: Type.String(),
    time: Type.String({ format: 'date-time' }),
    receivedAt: Type.Integer(),
    latencyMs: Type.Number(),
    action: Type.Union([Type.String(), Type.Null()]),
    code: Type.String(),
    message: Type.Union([Type.String(), Type.Null()]),
    httpStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'null: the connection was dropped.' }),
    secretId: Type.Union([Type.String(), Type.Null()]),
    region: Type.Union([Type.String(), Type.Null()]),
    testId: Type.Union([Type.String(), Type.Null()]),
    traceId: Type.Union([Type.String(), Type.Null()]),
    signatureMethod: Type.Union([Type.String(), Type.Null()]),
    language: Type.String(),
    faults: Type.Array(Type.Object({ id: Type.String(), source: Type.String(), effect: Type.String() })),
    imageUrl: Type.Union([Type.String(), Type.Null()]),
    headers: optionalRecord(
      Type.String(),
      "The request's headers (names in lower case); X-TC-Token and the Authorization's Signature redacted.",
    ),
    params: optionalRecord(
      Type.Unknown(),
      "The action's parameters: ImageBase64 as `[base64, N characters]`, a v1 Signature or Token redacted, long values clipped.",
    ),
    signature: optionalRecord(
      Type.Unknown(),
      "AuthFailure.SignatureFailure only: signatureMethod and the server's canonicalRequest and stringToSign (TC3) or stringToSign (v1); for TC3, `inputs`: what the signature covers as received (never a key), read by POST /requests/{requestId}/signature-check.",
    ),
    result: optionalRecord(
      Type.Unknown(),
      "Success only: the reply's Response fields (left out when larger than 16 KB as JSON).",
    ),
    marks: Type.Optional(
      Type.Array(
        Type.Object({
          text: Type.String(),
          type: Type.String(),
          corners: Type.Array(Type.Array(Type.Number()), {
            description: 'Clockwise from top-left, in image pixels; true corners also when the reply hides them (-1).',
          }),
        }),
        { description: 'QrcodeOCR: every decoded symbol.' },
      ),
    ),
    recorded: Type.Optional(
      Type.String({ description: 'Record mode: the key of the recording written for the request.' }),
    ),
    replayed: Type.Optional(
      Type.String({ description: 'Replay mode: the key of the recording the request was answered from.' }),
    ),
    image: Type.Optional(Type.Boolean({ description: 'The uploaded image is kept: GET /requests/{requestId}/image.' })),
  },
  { description: 'One API request.' },
);

const SignatureCheckBody = Type.Object({
  secretKey: Type.Optional(
    Type.String({ maxLength: 256, description: 'The SecretKey the client may have used; tried first, never kept.' }),
  ),
});

const SignedRequestSchema = Type.Object({ canonicalRequest: Type.String(), stringToSign: Type.String() });

/** Candidate keys: the one given, the claimed account's, then other accounts' (at most MAX_OTHER_KEYS). */
function candidateKeys(config: AdminDeps['config'], claimed: string, given: string | undefined): CandidateKey[] {
  const keys: CandidateKey[] = given ? [{ source: 'given', secretKey: given }] : [];
  const account = config.credentials.find((c) => c.secretId === claimed);
  if (account) keys.push({ source: 'account', secretKey: account.secretKey });
  const others = config.credentials.filter((c) => c.secretId !== claimed).slice(0, MAX_OTHER_KEYS);
  for (const other of others) keys.push({ source: 'other', secretId: other.secretId, secretKey: other.secretKey });
  return keys;
}

export function requestRoutes({ observer, controls, config }: AdminDeps): AdminRoute[] {
  const { journal } = observer;
  return [
    adminRoute({
      method: 'GET',
      path: '/requests',
      summary: 'API requests in the journal, oldest first',
      query: Type.Object({
        ...FILTER_PARAMS,
        limit: IntegerQuery(1, 1_000_000, 'At most this many: the newest matching ones (default 100).'),
      }),
      responses: {
        200: {
          description: 'Matching requests.',
          schema: Type.Object({ count: Type.Integer(), requests: Type.Array(JournalEntrySchema) }),
        },
      },
      handler: async (request) => {
        const requests = journal.find(journalFilter(request.query), request.query.limit ?? 100);
        return { count: requests.length, requests };
      },
    }),
    {
      method: 'DELETE',
      path: '/requests',
      summary: 'Empty the journal',
      responses: { 204: { description: 'Emptied.' } },
      handler: async (_request, reply) => {
        journal.clear();
        return reply.code(204).send();
      },
    },
    adminRoute({
      method: 'GET',
      path: '/requests/count',
      summary: 'How many journal entries match',
      query: FilterQuery,
      responses: { 200: { description: 'The count.', schema: Type.Object({ count: Type.Integer() }) } },
      handler: async (request) => ({ count: journal.count(journalFilter(request.query)) }),
    }),
    adminRoute({
      method: 'GET',
      path: '/requests/wait',
      summary: 'Long-poll: the first matching request, waiting for one if none is there yet',
      description:
        'Answers as soon as the journal holds a match (use `after` or `since` to wait only for new ones), or 408 after `timeoutMs`.',
      query: Type.Object({
        ...FILTER_PARAMS,
        timeoutMs: IntegerQuery(0, MAX_WAIT_MS, `How long to wait, at most ${MAX_WAIT_MS} (default 10000).`),
      }),
      responses: {
        200: { description: 'The matching request.', schema: JournalEntrySchema },
        408: { description: 'Nothing matched in time.' },
      },
      handler: async (request, reply) => {
        const filter = journalFilter(request.query);
        const timeoutMs = request.query.timeoutMs ?? 10_000;
        const entry = await journal.wait(filter, timeoutMs, controls.closing);
        if (!entry) return reply.code(408).send({ error: `no matching request within ${timeoutMs} ms` });
        return entry;
      },
    }),
    adminRoute({
      method: 'GET',
      path: '/requests/:requestId',
      summary: 'One request by its RequestId (what the SDK reports as err.requestId)',
      params: Type.Object({ requestId: Type.String() }),
      responses: {
        200: { description: 'The request.', schema: JournalEntrySchema },
        404: { description: 'Not in the journal.' },
      },
      handler: async (request) => {
        const entry = journal.get(request.params.requestId);
        if (!entry) throw new AdminError(404, 'no such request in the journal');
        return entry;
      },
    }),
    adminRoute({
      method: 'POST',
      path: '/requests/:requestId/signature-check',
      summary: 'For a TC3 signature failure: what the client signed, set beside what the server expected',
      description:
        "Rebuilds the client's canonical request: the request as received with one thing changed (Host, Content-Type, payload hash, method, query, header case), signed with the key given, the claimed account's and the first 32 other accounts' keys; the first that reproduces the client's signature is what it signed.",
      params: Type.Object({ requestId: Type.String() }),
      body: { schema: SignatureCheckBody, description: 'Optional: `{ "secretKey": "…" }`.' },
      responses: {
        200: {
          description: 'The verdict; `client` is null when nothing reproduced the signature.',
          schema: Type.Object({
            tried: Type.Integer(),
            server: SignedRequestSchema,
            client: Type.Union([
              Type.Object({
                canonicalRequest: Type.String(),
                stringToSign: Type.String(),
                change: Type.String(),
                key: Type.String({ enum: ['given', 'account', 'other'] }),
                keySecretId: Type.Optional(Type.String()),
              }),
              Type.Null(),
            ]),
            firstDifferentLine: Type.Union([Type.Integer(), Type.Null()]),
            verdict: Type.String(),
            changesTried: Type.Array(Type.String()),
          }),
        },
        400: { description: 'The body is not `{ "secretKey"?: string }`.' },
        404: {
          description:
            'Not in the journal, or not a TC3 signature failure kept for a check (a signed X-TC-Token, a large request).',
        },
      },
      handler: async (request) => {
        const entry = journal.get(request.params.requestId);
        if (!entry) throw new AdminError(404, 'no such request in the journal');
        const inputs = entry.signature?.inputs as Tc3Inputs | undefined;
        if (!inputs)
          throw new AdminError(
            404,
            "nothing kept to check: not a TC3 signature failure, a credential scope date that is not the timestamp's, a signed X-TC-Token or a large request",
          );
        const body = (request.body ?? {}) as { secretKey?: unknown };
        if (typeof body !== 'object' || Array.isArray(body))
          throw new AdminError(400, 'the body must be a JSON object');
        const given = body.secretKey;
        if (given !== undefined && (typeof given !== 'string' || given.length > 256))
          throw new AdminError(400, 'secretKey must be a string of at most 256 characters');
        return checkTc3Signature(inputs, candidateKeys(config, inputs.secretId, given || undefined));
      },
    }),
    {
      method: 'GET',
      path: '/requests/:requestId/image',
      summary: "The request's uploaded image, while it is kept (TCOCR_JOURNAL_IMAGE_MB)",
      params: Type.Object({ requestId: Type.String() }),
      responses: {
        200: { description: 'The image as uploaded (PNG or JPEG).', schema: Type.String(), contentType: 'image/*' },
        404: { description: 'Not kept (no image, or dropped to stay within the budget).' },
      },
      handler: async (request, reply) => {
        const { requestId } = request.params as { requestId: string };
        const image = observer.images.get(requestId);
        if (!image) throw new AdminError(404, 'image not kept');
        const type = image[0] === 0x89 ? 'image/png' : 'image/jpeg';
        return reply.header('Content-Type', type).header('Cache-Control', 'no-store').send(Buffer.from(image));
      },
    },
  ];
}
