import type { z } from 'zod';
import { closestMatch } from './edit-distance.js';

/** One schema violation with the YAML path it concerns, before a file position is attached. */
export interface SchemaProblem {
  path: PropertyKey[];
  /** Point at the key itself (unknown keys) rather than at its value. */
  at: 'value' | 'key';
  message: string;
  expected?: string;
  received?: string;
}

type Issue = z.core.$ZodIssue;

/** `string "maybe"`, `number 3.5`, `null`, `array`, … — what the user wrote, short. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'mapping';
    default:
      return typeof value;
  }
}

const TYPE_NAMES: Record<string, string> = { object: 'mapping', array: 'list' };

/** The keys a strict object schema allows at `path`, for "did you mean" suggestions. */
export function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (let i = 0; i <= path.length; i++) {
    current = unwrap(current);
    if (current === undefined) return [];
    if (i === path.length) break;
    const def = (current as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === 'object') current = (def.shape as Record<string, unknown>)[String(path[i])];
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = def.element;
    else return [];
  }
  const def = (current as { _zod: { def: Record<string, unknown> } })._zod.def;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let guard = 0; guard < 20 && current !== undefined; guard++) {
    const def = (current as { _zod?: { def: Record<string, unknown> } })._zod?.def;
    if (def === undefined) return undefined;
    if (
      ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(
        String(def.type),
      )
    ) {
      current = def.innerType;
    } else if (def.type === 'pipe') {
      current = def.in;
    } else if (def.type === 'lazy') {
      current = (def.getter as () => unknown)();
    } else {
      return current;
    }
  }
  return current;
}

/** Reported on the mapping that lacks the key: `dependencies.core: missing required key "source"`. */
function missingKey(path: PropertyKey[], expected?: string): SchemaProblem {
  const problem: SchemaProblem = {
    path: path.slice(0, -1),
    at: 'key',
    message: `missing required key ${JSON.stringify(String(path.at(-1) ?? ''))}`,
  };
  if (expected !== undefined) problem.expected = expected;
  return problem;
}

function wrongValue(path: PropertyKey[], expected: string, input: unknown): SchemaProblem {
  const received = describeValue(input);
  return { path, at: 'value', message: `expected ${expected}, got ${received}`, expected, received };
}

/** Turns zod issues into problems with a message a user can act on. */
export function schemaProblems(issues: readonly Issue[], schema: z.ZodType): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const issue of issues) {
    const path = [...issue.path];
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(schema, path);
        for (const key of issue.keys) {
          const suggestion = closestMatch(key, allowed);
          const hint =
            suggestion !== undefined
              ? ` (did you mean "${suggestion}"?)`
              : allowed.length > 0
                ? ` (allowed: ${allowed.join(', ')})`
                : '';
          problems.push({
            path: [...path, key],
            at: 'key',
            message: `unknown key ${JSON.stringify(key)}${hint}`,
          });
        }
        break;
      }
      case 'invalid_type': {
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
        problems.push(input === undefined ? missingKey(path, expected) : wrongValue(path, expected, input));
        break;
      }
      case 'invalid_value': {
        if (input === undefined) {
          problems.push(missingKey(path));
          break;
        }
        problems.push(
          wrongValue(path, `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, input),
        );
        break;
      }
      case 'invalid_key': {
        const reason = issue.issues[0]?.message ?? 'invalid key';
        problems.push({
          path,
          at: 'key',
          message: `invalid key ${JSON.stringify(String(path.at(-1)))}: ${reason}`,
        });
        break;
      }
      case 'invalid_union': {
        problems.push({
          path,
          at: 'value',
          message: `no accepted form matches ${describeValue(input)}`,
          received: describeValue(input),
        });
        break;
      }
      case 'too_small':
        problems.push({
          path,
          at: 'value',
          message:
            issue.origin === 'string' && Number(issue.minimum) === 1 ? 'must not be empty' : issue.message,
        });
        break;
      default:
        problems.push({ path, at: 'value', message: issue.message });
    }
  }
  return problems;
}
