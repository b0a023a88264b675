/**
 * /_emulator/requests: the request journal — filter, count, look up by RequestId, wait for a match.
 */
import { Type } from '@sinclair/typebox';
import type { JournalFilter } from '../journal/journal.js';
import {
  type AdminDeps,
  AdminError,
  type AdminRoute,
  type Query,
  type QueryParam,
  booleanParam,
  integerParam,
  queryOf,
  timeParam,
} from './route.js';

/** Longest a long-poll may wait (under the server's 60 s request timeout). */
export const MAX_WAIT_MS = 30_000;

const FILTER_PARAMS: Record<string, QueryParam> = {
  action: { type: 'string', description: 'Action name, e.g. QrcodeOCR.' },
  code: { type: 'string', description: '`OK`, a Tencent error code, or a transport fault (`http:502`, `malformed`, `empty`, `reset`).' },
  secretId: { type: 'string', description: 'The SecretId the request was signed with (or claimed, when its signature failed).' },
  testId: { type: 'string', description: 'The X-TC-Emulator-Test-Id request header.' },
  faulted: { type: 'boolean', description: 'Only requests a fault was (true) or was not (false) applied to.' },
  since: { type: 'string', description: 'Received at or after: ISO 8601 or epoch milliseconds.' },
  until: { type: 'string', description: 'Received before: ISO 8601 or epoch milliseconds.' },
  after: { type: 'integer', description: 'Only entries with a larger `seq`.' },
};

export function journalFilter(query: Query): JournalFilter {
  return {
    action: query.action || undefined,
    code: query.code || undefined,
    secretId: query.secretId || undefined,
    testId: query.testId || undefined,
    faulted: booleanParam(query, 'faulted'),
    since: timeParam(query, 'since'),
    until: timeParam(query, 'until'),
    after: integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER),
  };
}

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
    signature: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'AuthFailure.SignatureFailure only: signatureMethod and the server\'s canonicalRequest and stringToSign (TC3) or stringToSign (v1).',
      }),
    ),
  },
  { description: 'One API request.' },
);

export function requestRoutes({ observer, controls }: AdminDeps): AdminRoute[] {
  const { journal } = observer;
  return [
    {
      method: 'GET',
      path: '/requests',
      summary: 'API requests in the journal, oldest first',
      query: { ...FILTER_PARAMS, limit: { type: 'integer', description: 'At most this many: the newest matching ones (default 100).' } },
      responses: {
        200: { description: 'Matching requests.', schema: Type.Object({ count: Type.Integer(), requests: Type.Array(JournalEntrySchema) }) },
      },
      handler: async (request) => {
        const query = queryOf(request);
        const requests = journal.find(journalFilter(query), integerParam(query, 'limit', 1, 1_000_000) ?? 100);
        return { count: requests.length, requests };
      },
    },
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
    {
      method: 'GET',
      path: '/requests/count',
      summary: 'How many journal entries match',
      query: FILTER_PARAMS,
      responses: { 200: { description: 'The count.', schema: Type.Object({ count: Type.Integer() }) } },
      handler: async (request) => ({ count: journal.count(journalFilter(queryOf(request))) }),
    },
    {
      method: 'GET',
      path: '/requests/wait',
      summary: 'Long-poll: the first matching request, waiting for one if none is there yet',
      description: 'Answers as soon as the journal holds a match (use `after` or `since` to wait only for new ones), or 408 after `timeoutMs`.',
      query: { ...FILTER_PARAMS, timeoutMs: { type: 'integer', description: `How long to wait, at most ${MAX_WAIT_MS} (default 10000).` } },
      responses: {
        200: { description: 'The matching request.', schema: JournalEntrySchema },
        408: { description: 'Nothing matched in time.' },
      },
      handler: async (request, reply) => {
        const query = queryOf(request);
        const filter = journalFilter(query);
        const timeoutMs = integerParam(query, 'timeoutMs', 0, MAX_WAIT_MS) ?? 10_000;
        const entry = await journal.wait(filter, timeoutMs, controls.closing);
        if (!entry) return reply.code(408).send({ error: `no matching request within ${timeoutMs} ms` });
        return entry;
      },
    },
    {
      method: 'GET',
      path: '/requests/:requestId',
      summary: 'One request by its RequestId (what the SDK reports as err.requestId)',
      responses: { 200: { description: 'The request.', schema: JournalEntrySchema }, 404: { description: 'Not in the journal.' } },
      handler: async (request) => {
        const entry = journal.get((request.params as { requestId: string }).requestId);
        if (!entry) throw new AdminError(404, 'no such request in the journal');
        return entry;
      },
    },
  ];
}
