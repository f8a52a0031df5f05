import { readFile, stat } from 'node:fs/promises';
import { type Document, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ProvisioningError } from './errors.js';
import { CONFIG_PARSE_LIMITS, inputTooDeep, inputTooLarge, type ParseLimits } from './parse-limits.js';
import { indexDocument, nodeAt, type YamlIndex } from './yaml-index.js';
import { checkYamlLimits } from './yaml-limits.js';
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

/** At most this many problems are listed; the rest are counted (`… and N more problems`). */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * Every problem of one file, up to `MAX_LISTED_PROBLEMS`; `message` has one line per problem,
 * first problem first, and a last line counting those not listed.
 */
export class ConfigError extends ProvisioningError {
  override readonly name = 'ConfigError';
  readonly problems: Problem[];

  /** `total`: how many problems there are when only the first of them are passed. */
  constructor(code: ConfigErrorCode, file: string, all: Problem[], total = all.length) {
    const problems = all.slice(0, MAX_LISTED_PROBLEMS);
    const more = Math.max(total, all.length) - problems.length;
    const lines = problems.map(formatProblem);
    if (more > 0) lines.push(`${file}: … and ${more} more problem${more === 1 ? '' : 's'}`);
    super(code, lines.join('\n'), {
      kind: 'input',
      hint:
        code === 'YAML_SYNTAX'
          ? `fix the YAML syntax of ${file} at the position shown`
          : `fix the listed key${problems.length === 1 ? '' : 's'} in ${file}`,
      details: { file, problems, ...(more > 0 ? { more } : {}) },
    });
    this.problems = problems;
  }
}

/** Files larger than this are not configuration; refuse instead of parsing them. */
export const MAX_CONFIG_BYTES = CONFIG_PARSE_LIMITS.maxBytes;

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

/** A parsed YAML document with what locating its problems needs. */
export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  index: YamlIndex;
}

/**
 * Parses one YAML document within `limits` (checked on the raw text first: `INPUT_TOO_LARGE`,
 * `INPUT_TOO_DEEP`, `INPUT_TOO_MANY_ALIASES`). Syntax errors and repeated keys → `ConfigError`
 * `YAML_SYNTAX` with `file:line:column`. Parse time is linear in the size of the text.
 */
export function parseYamlDocument(
  text: string,
  opts: { file: string; limits?: Readonly<ParseLimits> },
): ParsedYaml {
  const { file } = opts;
  const limits = opts.limits ?? CONFIG_PARSE_LIMITS;
  checkYamlLimits(text, file, limits);
  const lineCounter = new LineCounter();
  // `uniqueKeys` compares every key with every earlier one (quadratic): `indexDocument` checks it
  // in linear time. A stack trace per syntax error would cost more than the parse itself.
  const savedLimit = Error.stackTraceLimit;
  let doc: Document;
  try {
    Error.stackTraceLimit = 0;
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  } finally {
    Error.stackTraceLimit = savedLimit;
  }

  if (doc.errors.length > 0) {
    if (doc.errors.some((error) => /call stack/i.test(error.message)))
      throw inputTooDeep(file, limits.maxDepth);
    const problems = doc.errors.slice(0, MAX_LISTED_PROBLEMS).map((error): Problem => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const message =
        error.code === 'MULTIPLE_DOCS'
          ? 'the file holds several YAML documents ("---"), a configuration file holds one'
          : (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      return { file, line, column: col, message: `YAML syntax error: ${message}` };
    });
    throw new ConfigError('YAML_SYNTAX', file, problems.sort(byPosition), doc.errors.length);
  }

  const index = indexDocument(doc);
  if (index.depth > limits.maxDepth) throw inputTooDeep(file, limits.maxDepth);
  if (index.duplicates.length > 0) {
    const problems = index.duplicates.slice(0, MAX_LISTED_PROBLEMS).map(({ pair, first }): Problem => {
      const at = positionOfNode(pair.key, lineCounter);
      const firstAt = positionOfNode(first.key, lineCounter);
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      return {
        file,
        ...at,
        message: `YAML syntax error: duplicate key ${JSON.stringify(key)}, map keys must be unique${firstAt ? ` (first at line ${firstAt.line})` : ''}`,
      };
    });
    throw new ConfigError('YAML_SYNTAX', file, problems.sort(byPosition), index.duplicates.length);
  }
  return { doc, lineCounter, index };
}

function positionOfNode(
  node: unknown,
  lineCounter: LineCounter,
): { line: number; column: number } | undefined {
  const offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** The document as plain data; aliases expand at most `limits.maxAliases` times. */
export function yamlToData(parsed: ParsedYaml, file: string, limits?: Readonly<ParseLimits>): unknown {
  try {
    // The alias cap stops "billion laughs" documents from expanding without bound.
    return parsed.doc.toJS({ maxAliasCount: (limits ?? CONFIG_PARSE_LIMITS).maxAliases });
  } catch (error) {
    throw new ConfigError('YAML_SYNTAX', file, [
      { file, message: `YAML error: ${(error as Error).message}` },
    ]);
  }
}

/**
 * YAML text as plain data, without a schema, within `limits` (default `CONFIG_PARSE_LIMITS`):
 * `ConfigError` `YAML_SYNTAX` for syntax errors, the limit errors for hostile input; an empty
 * document is `null`. For files whose shape the caller checks itself.
 */
export function parseYamlData(text: string, opts: { file: string; limits?: Readonly<ParseLimits> }): unknown {
  return yamlToData(parseYamlDocument(text, opts), opts.file, opts.limits);
}

/**
 * Parses YAML text and validates it against `schema`. Syntax errors → `ConfigError` `YAML_SYNTAX`
 * with `file:line:column`; schema violations → `ConfigError` `CONFIG_INVALID` listing the problems,
 * each with its key path and position, sorted by line. `limits` defaults to `CONFIG_PARSE_LIMITS`.
 */
export function parseYaml<T>(
  text: string,
  schema: z.ZodType<T>,
  opts: { file: string; limits?: Readonly<ParseLimits> },
): T {
  const { file } = opts;
  const parsed = parseYamlDocument(text, opts);
  // An empty file is an empty mapping: "missing key" reads better than "expected mapping, got null".
  const data = parsed.doc.contents === null ? {} : yamlToData(parsed, file, opts.limits);
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;

  const { doc, index, lineCounter } = parsed;
  const { issues, total } = listedIssues(result.error.issues);
  const problems = schemaProblems(issues, schema).map((sp): Problem => {
    const position = positionOf(doc, index, sp.path, lineCounter, sp.at);
    const problem: Problem = { file, message: oneLine(sp.message) };
    if (position !== undefined) {
      problem.line = position.line;
      problem.column = position.column;
    }
    if (sp.path.length > 0) problem.path = formatKeyPath(sp.path);
    const quoted = quotingAdvice(doc, index, sp);
    if (quoted !== undefined) problem.message = oneLine(quoted.message);
    if (sp.expected !== undefined) problem.expected = sp.expected;
    const received = quoted?.received ?? sp.received;
    if (received !== undefined) problem.received = received;
    return problem;
  });
  throw new ConfigError('CONFIG_INVALID', file, problems.sort(byPosition), total);
}

type Issue = z.core.$ZodIssue;

/**
 * Zod reports every unknown key of a mapping in one issue, in document order: only the first
 * `MAX_LISTED_PROBLEMS` of them can be listed, so only those get a "did you mean" search.
 */
function listedIssues(all: readonly Issue[]): { issues: Issue[]; total: number } {
  let total = 0;
  const issues = all.map((issue) => {
    if (issue.code !== 'unrecognized_keys') {
      total++;
      return issue;
    }
    total += issue.keys.length;
    return issue.keys.length > MAX_LISTED_PROBLEMS
      ? { ...issue, keys: issue.keys.slice(0, MAX_LISTED_PROBLEMS) }
      : issue;
  });
  return { issues, total };
}

/**
 * YAML turns `1.0` into the number 1 and `yes`-like words into booleans: when a string was expected,
 * show what was written and suggest quotes.
 */
function quotingAdvice(
  doc: Document,
  index: YamlIndex,
  sp: SchemaProblem,
): { message: string; received: string } | undefined {
  if (sp.expected !== 'string' || sp.received === undefined) return undefined;
  if (!/^(number|boolean) /.test(sp.received)) return undefined;
  const node = nodeAt(doc, index, sp.path);
  if (!isScalar(node) || typeof node.source !== 'string') return undefined;
  const received = `${typeof node.value} ${node.source}`;
  return { message: `expected string, got ${received} (put it in quotes: "${node.source}")`, received };
}

/**
 * Reads and validates a YAML file; a missing file → `FILE_NOT_FOUND` (kind input), a file over
 * `limits.maxBytes` → `INPUT_TOO_LARGE` before it is read.
 */
export async function loadYamlFile<T>(
  file: string,
  schema: z.ZodType<T>,
  limits: Readonly<ParseLimits> = CONFIG_PARSE_LIMITS,
): Promise<T> {
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
    if (info.size > limits.maxBytes) throw inputTooLarge(file, info.size, limits.maxBytes);
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
  return parseYaml(text, schema, { file, limits });
}
