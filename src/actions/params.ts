/**
 * Business-parameter validation against an action's TypeBox schema, answering the codes the real
 * service uses: UnknownParameter for a name the action does not define, InvalidParameter for a
 * value of the wrong type. Values from GET queries, forms and multipart arrive as strings and are
 * coerced for integer fields (`Type=0`).
 */
import { Kind, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ApiError } from '../errors/api-error.js';

function coerce(schema: TSchema, value: unknown): unknown {
  if (typeof value === 'string' && schema[Kind] === 'Integer' && /^-?\d{1,15}$/.test(value.trim()))
    return Number(value);
  return value;
}

export function validateParams(schema: TObject, input: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(input)) {
    if (raw === null) continue; // JSON null: treated as absent, like an omitted optional field
    const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    if (!property && schema.additionalProperties === true) {
      // An action without an engine takes whatever it is given (its parameters are not modelled).
      output[name] = raw;
      continue;
    }
    if (!property) throw new ApiError('UnknownParameter', [name]);
    const value = coerce(property, raw);
    if (!Value.Check(property, value)) throw new ApiError('InvalidParameter', [name]);
    output[name] = value;
  }
  return output;
}
