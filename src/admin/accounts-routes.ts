/**
 * /_emulator/accounts and /_emulator/rate-limits: account states per SecretId and the per-second
 * limits, changed at run time (a reset puts back TCOCR_ACCOUNTS and TCOCR_RATE_LIMITS).
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ACCOUNT_STATES } from '../service/accounts.js';
import { type AdminDeps, AdminError, type AdminRoute, adminRoute } from './route.js';

const ActionName = Type.String({ pattern: '^(\\*|[A-Za-z][A-Za-z0-9]*)$' });

export const AccountBody = Type.Object(
  {
    state: Type.Optional(
      Type.Union(
        ACCOUNT_STATES.map((state) => Type.Literal(state)),
        { default: 'active' },
      ),
    ),
    camDenied: Type.Optional(
      Type.Array(ActionName, { description: 'Actions CAM denies (AuthFailure.UnauthorizedOperation); `*` = all.' }),
    ),
    dailyQuota: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
        description: 'Calls per day (Asia/Shanghai) before LimitExceeded; null: none.',
      }),
    ),
  },
  { additionalProperties: false },
);

const SecretIdParam = Type.Object({ secretId: Type.String() });

const AccountView = Type.Object({
  secretId: Type.String(),
  state: Type.String(),
  camDenied: Type.Array(Type.String()),
  dailyQuota: Type.Optional(Type.Integer()),
  usedToday: Type.Integer(),
});

export const RateLimitsBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ default: true })),
    actions: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*$' }), Type.Integer({ minimum: 0 }), {
        description: 'Requests per second by action (0: unlimited).',
      }),
    ),
    keys: Type.Optional(
      Type.Record(Type.String({ pattern: '^[^/]+/[A-Za-z][A-Za-z0-9]*$' }), Type.Integer({ minimum: 0 }), {
        description: 'Overrides by `SecretId/Action`.',
      }),
    ),
  },
  { additionalProperties: false },
);

function check<T>(schema: Parameters<typeof Value.Check>[0], body: unknown): T {
  if (!Value.Check(schema, body)) {
    const first = Value.Errors(schema, body).First();
    throw new AdminError(400, first ? `${first.path || 'body'}: ${first.message}` : 'invalid body');
  }
  return body as T;
}

/** 404 for a SecretId the emulator does not accept (a typo would otherwise be set and never used). */
function configuredOr404(secretId: string, configured: readonly string[]): void {
  if (!configured.includes(secretId))
    throw new AdminError(
      404,
      `SecretId ${secretId} is not configured (TCOCR_CREDENTIALS); configured: ${configured.join(', ')}`,
    );
}

/** 400 naming the valid states, ahead of the schema's generic union message. */
function knownStateOr400(body: unknown): void {
  const state = (body as { state?: unknown } | null)?.state;
  if (state !== undefined && !(ACCOUNT_STATES as readonly unknown[]).includes(state)) {
    throw new AdminError(
      400,
      `state: ${JSON.stringify(state)} is not a state; valid states: ${ACCOUNT_STATES.join(', ')}`,
    );
  }
}

export function accountRoutes({ controls, config }: AdminDeps): AdminRoute[] {
  const { accounts, rateLimiter } = controls;
  const configured = config.credentials.map((credential) => credential.secretId);
  return [
    {
      method: 'GET',
      path: '/accounts',
      summary: 'Accounts that are not simply active, with their calls today',
      responses: { 200: { description: 'The accounts.', schema: Type.Object({ accounts: Type.Array(AccountView) }) } },
      handler: async () => ({ accounts: accounts.list() }),
    },
    adminRoute({
      method: 'PUT',
      path: '/accounts/:secretId',
      params: SecretIdParam,
      summary: 'Set the state of one SecretId',
      description:
        'unopened → FailedOperation.UnOpenError, billing-abnormal → ResourcesSoldOut.ChargeStatusException, in-arrears → ResourceUnavailable.InArrears, package-run-out → ResourceUnavailable.ResourcePackageRunOut; camDenied → AuthFailure.UnauthorizedOperation; dailyQuota → LimitExceeded.',
      body: { schema: AccountBody, description: 'The whole setting (fields left out are reset).' },
      responses: {
        200: { description: 'The account as set.', schema: AccountView },
        400: {
          description: 'A bad body; an unknown state is answered with the valid states.',
          schema: Type.Object({ error: Type.String() }),
        },
        404: {
          description: 'A SecretId that is not in TCOCR_CREDENTIALS (the message lists those that are).',
          schema: Type.Object({ error: Type.String() }),
        },
      },
      handler: async (request) => {
        const { secretId } = request.params;
        configuredOr404(secretId, configured);
        knownStateOr400(request.body);
        const body = check<{
          state?: (typeof ACCOUNT_STATES)[number];
          camDenied?: string[];
          dailyQuota?: number | null;
        }>(AccountBody, request.body ?? {});
        accounts.set(secretId, {
          state: body.state ?? 'active',
          camDenied: body.camDenied ?? [],
          ...(typeof body.dailyQuota === 'number' ? { dailyQuota: body.dailyQuota } : {}),
        });
        return { secretId, ...accounts.get(secretId), usedToday: accounts.usedToday(secretId) };
      },
    }),
    adminRoute({
      method: 'DELETE',
      path: '/accounts/:secretId',
      params: SecretIdParam,
      summary: 'Make one SecretId active again (until the next reset restores TCOCR_ACCOUNTS)',
      responses: { 204: { description: 'Done.' } },
      handler: async (request, reply) => {
        accounts.delete(request.params.secretId);
        return reply.code(204).send();
      },
    }),
    {
      method: 'GET',
      path: '/rate-limits',
      summary: 'The per-second limits in force',
      responses: { 200: { description: 'The limits.', schema: RateLimitsBody } },
      handler: async () => rateLimiter.limits,
    },
    {
      method: 'PUT',
      path: '/rate-limits',
      summary: 'Replace the per-second limits (and forget the calls counted so far)',
      body: { schema: RateLimitsBody, description: '`{"enabled": false}` switches limiting off.' },
      responses: { 200: { description: 'The limits now in force.', schema: RateLimitsBody } },
      handler: async (request) => {
        const body = check<{ enabled?: boolean; actions?: Record<string, number>; keys?: Record<string, number> }>(
          RateLimitsBody,
          request.body ?? {},
        );
        rateLimiter.limits = { enabled: body.enabled ?? true, actions: body.actions ?? {}, keys: body.keys ?? {} };
        return rateLimiter.limits;
      },
    },
  ];
}
