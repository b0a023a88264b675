/**
 * /_emulator/faults: create, list, read and delete fault rules at run time, with their counters.
 */
import { Type } from '@sinclair/typebox';
import { RuleSchema } from '../faults/rule.js';
import { rulesFromDocument } from '../faults/rule-file.js';
import { MAX_RULES } from '../faults/store.js';
import { type AdminDeps, AdminError, type AdminRoute, BooleanQuery, adminRoute, isOn } from './route.js';

export const RuleStatusSchema = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('file'), Type.Literal('api')]),
  description: Type.Optional(Type.String()),
  match: Type.Record(Type.String(), Type.Unknown()),
  effect: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The effect in object form (`type` and its fields).',
  }),
  effectLabel: Type.String({
    description: 'e.g. `error:FailedOperation.ImageBlur`, `delay:1500`, `http:502`, `reset`.',
  }),
  times: Type.Union([Type.Integer(), Type.Null()]),
  probability: Type.Union([Type.Number(), Type.Null()]),
  matched: Type.Integer({ description: 'Calls that matched the criteria.' }),
  fired: Type.Integer({ description: 'Times the effect was applied.' }),
  remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Firings left; null: unlimited.' }),
  pending: Type.Boolean({ description: 'With `times`: firings still to come; without: never fired yet.' }),
  requestIds: Type.Array(Type.String(), { description: 'The last 20 RequestIds it fired on, oldest first.' }),
});

const RuleList = Type.Object({ rules: Type.Array(RuleStatusSchema) });
const RuleId = Type.Object({ id: Type.String() });
const RuleBody = Type.Union([RuleSchema, Type.Array(RuleSchema), Type.Object({ rules: Type.Array(RuleSchema) })]);

export function faultRoutes({ controls }: AdminDeps): AdminRoute[] {
  const store = controls.faults;
  return [
    adminRoute({
      method: 'GET',
      path: '/faults',
      summary: 'List the fault rules in force, with matched/fired counts',
      query: Type.Object({ pending: BooleanQuery('Only rules that are (true) or are not (false) pending.') }),
      responses: {
        200: { description: 'The rules, file rules first, then in the order they were added.', schema: RuleList },
      },
      handler: async (request) => {
        const pending = isOn(request.query.pending);
        return { rules: store.list().filter((rule) => pending === undefined || rule.pending === pending) };
      },
    }),
    {
      method: 'POST',
      path: '/faults',
      summary: 'Add fault rules',
      description:
        'A single rule, a list, or `{ "rules": [...] }`, as JSON or YAML. All are added or none (400 lists every problem, or says the 1000 rules in force would be passed; 409 when an id is taken).',
      body: { schema: RuleBody, description: 'Rules in the format of TCOCR_FAULTS_FILE.', yaml: true },
      responses: { 201: { description: 'The rules as added, with their ids.', schema: RuleList } },
      handler: async (request, reply) => {
        let rules: ReturnType<typeof rulesFromDocument>;
        try {
          rules = rulesFromDocument(request.body, 'api', () => store.newId());
        } catch (error) {
          throw new AdminError(400, (error as Error).message);
        }
        if (store.size + rules.length > MAX_RULES) {
          throw new AdminError(
            400,
            `at most ${MAX_RULES} rules are in force at once: ${store.size} are, ${rules.length} more asked for`,
          );
        }
        try {
          return reply.code(201).send({ rules: store.add(rules) });
        } catch (error) {
          throw new AdminError(409, (error as Error).message);
        }
      },
    },
    {
      method: 'DELETE',
      path: '/faults',
      summary: 'Delete every fault rule (file rules too, until the next reset)',
      responses: { 204: { description: 'Deleted.' } },
      handler: async (_request, reply) => {
        store.clear();
        return reply.code(204).send();
      },
    },
    adminRoute({
      method: 'GET',
      path: '/faults/:id',
      summary: 'One fault rule with its counters',
      params: RuleId,
      responses: { 200: { description: 'The rule.', schema: RuleStatusSchema }, 404: { description: 'No such rule.' } },
      handler: async (request) => {
        const rule = store.get(request.params.id);
        if (!rule) throw new AdminError(404, 'no such rule');
        return rule;
      },
    }),
    adminRoute({
      method: 'DELETE',
      path: '/faults/:id',
      summary: 'Delete one fault rule',
      params: RuleId,
      responses: { 204: { description: 'Deleted.' }, 404: { description: 'No such rule.' } },
      handler: async (request, reply) => {
        if (!store.delete(request.params.id)) throw new AdminError(404, 'no such rule');
        return reply.code(204).send();
      },
    }),
  ];
}
