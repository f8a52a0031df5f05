import { readFile, stat } from 'node:fs/promises';
import { type Document, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ProvisioningError } from './errors.js';
import { positionOf } from './yaml-positions.js';
import { type SchemaProblem, schemaProblems } from './zod-problems.js';

/** One thing wrong with a configuration file, located as precisely as the YAML allows. */
export interface Problem {
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Dotted key path, `dependencies.extensions.modules.providers[0]`. */
  path?: string;
  message: string;
  expected?: string;
  received?: string;
}

export type ConfigErrorCode = 'CONFIG_INVALID' | 'YAML_SYNTAX';

/** Every problem of one file; `message` has one line per problem, first problem first. */
export class ConfigError extends ProvisioningError {
  override readonly name = 'ConfigError';
  readonly problems: Problem[];

  constructor(code: ConfigErrorCode, file: string, problems: Problem[]) {
    super(code, problems.map(formatProblem).join('\n'), {
      kind: 'input',
      hint:
        code === 'YAML_SYNTAX'
          ? `fix the YAML syntax of ${file} at the position shown`
          : `fix the listed key${problems.length === 1 ? '' : 's'} in ${file}`,
      details: { file, problems },
    });
    this.problems = problems;
  }
}

/** Files larger than this are not configuration; refuse instead of parsing them. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** `file:line:column: key.path: message` (position and path only when known). */
export function formatProblem(p: Problem): string {
  let location = p.file;
  if (p.line !== undefined) location += `:${p.line}${p.column === undefined ? '' : `:${p.column}`}`;
  return `${location}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** `a.b[0].c`; keys that are not identifier-like are quoted: `images["my.image"]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(segment)))
      out += out === '' ? String(segment) : `.${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** One problem, one line: control characters from the user's values are shown escaped. */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function byPosition(a: Problem, b: Problem): number {
  const line = (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
  return line !== 0 ? line : (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Parses YAML text and validates it against `schema`. Syntax errors → `ConfigError` `YAML_SYNTAX`
 * with `file:line:column`; schema violations → `ConfigError` `CONFIG_INVALID` listing all problems,
 * each with its key path and position, sorted by line.
 */
export function parseYaml<T>(text: string, schema: z.ZodType<T>, opts: { file: string }): T {
  const { file } = opts;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error): Problem => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const message =
        error.code === 'MULTIPLE_DOCS'
          ? 'the file holds several YAML documents ("---"), a configuration file holds one'
          : (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      return { file, line, column: col, message: `YAML syntax error: ${message}` };
    });
    throw new ConfigError('YAML_SYNTAX', file, problems.sort(byPosition));
  }

  let data: unknown;
  try {
    // The alias cap stops "billion laughs" documents from expanding without bound.
    // An empty file is an empty mapping: "missing key" reads better than "expected mapping, got null".
    data = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError('YAML_SYNTAX', file, [
      { file, message: `YAML error: ${(error as Error).message}` },
    ]);
  }

  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;

  const problems = schemaProblems(result.error.issues, schema).map((sp): Problem => {
    const position = positionOf(doc, sp.path, lineCounter, sp.at);
    const problem: Problem = { file, message: oneLine(sp.message) };
    if (position !== undefined) {
      problem.line = position.line;
      problem.column = position.column;
    }
    if (sp.path.length > 0) problem.path = formatKeyPath(sp.path);
    const quoted = quotingAdvice(doc, sp);
    if (quoted !== undefined) problem.message = oneLine(quoted.message);
    if (sp.expected !== undefined) problem.expected = sp.expected;
    const received = quoted?.received ?? sp.received;
    if (received !== undefined) problem.received = received;
    return problem;
  });
  throw new ConfigError('CONFIG_INVALID', file, problems.sort(byPosition));
}

/**
 * YAML turns `1.0` into the number 1 and `yes`-like words into booleans: when a string was expected,
 * show what was written and suggest quotes.
 */
function quotingAdvice(doc: Document, sp: SchemaProblem): { message: string; received: string } | undefined {
  if (sp.expected !== 'string' || sp.received === undefined) return undefined;
  if (!/^(number|boolean) /.test(sp.received)) return undefined;
  const node = doc.getIn(sp.path as unknown[], true);
  if (!isScalar(node) || typeof node.source !== 'string') return undefined;
  const received = `${typeof node.value} ${node.source}`;
  return { message: `expected string, got ${received} (put it in quotes: "${node.source}")`, received };
}

/** Reads and validates a YAML file; a missing file → `FILE_NOT_FOUND` (kind input). */
export async function loadYamlFile<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new ProvisioningError('FILE_NOT_FOUND', `${file} is a directory, expected a YAML file`, {
        kind: 'input',
        hint: 'give the path of the YAML file itself',
        details: { file },
      });
    }
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ProvisioningError(
        'CONFIG_TOO_LARGE',
        `${file} is ${info.size} bytes, larger than the ${MAX_CONFIG_BYTES}-byte limit for configuration files`,
        { kind: 'input', hint: 'check that the path names a configuration file', details: { file } },
      );
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ProvisioningError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ProvisioningError('FILE_NOT_FOUND', `file not found: ${file}`, {
        kind: 'input',
        hint: 'check the path, or create the file',
        details: { file },
        cause: error,
      });
    }
    throw new ProvisioningError(
      'FILE_UNREADABLE',
      `cannot read ${file}: ${code ?? (error as Error).message}`,
      {
        kind: 'input',
        hint: 'check the file permissions',
        details: { file },
        cause: error,
      },
    );
  }
  return parseYaml(text, schema, { file });
}
