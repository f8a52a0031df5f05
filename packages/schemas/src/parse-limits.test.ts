import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, isCollection, stringify, visit } from 'yaml';
import { isProvisioningError } from './errors.js';
import { extensionManifestSchema } from './manifest.js';
import { checkJsonLimits, MANIFEST_PARSE_LIMITS, parseJsonWithinLimits } from './parse-limits.js';
import { checkYamlLimits } from './yaml-limits.js';
import { ConfigError, MAX_LISTED_PROBLEMS, parseYaml } from './yaml-load.js';

const LIMITS = MANIFEST_PARSE_LIMITS;
const HEAD = 'name: redis\ntype: taskserv\nversion: 1.0.0\n';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!isProvisioningError(error)) throw error;
    return error.code;
  }
}

/** A value nested `depth` levels deep: mappings and lists alternating as `shape` says. */
function nested(depth: number, shape: (level: number) => 'map' | 'seq'): unknown {
  let value: unknown = 'leaf';
  for (let level = depth - 1; level >= 0; level--) value = shape(level) === 'map' ? { k: value } : [value];
  return value;
}

/** Block style for the outer `level` collections, flow style inside them. */
function flowFrom(value: unknown, level: number): string {
  const doc = new Document(value);
  visit(doc, {
    Collection(_, node, path) {
      if (path.filter((p) => isCollection(p)).length >= level) node.flow = true;
    },
  });
  return String(doc);
}

describe('checkYamlLimits', () => {
  it.each([
    ['flow sequences', `x: ${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['flow mappings', `x: ${'{a: '.repeat(1000)}`],
    ['compact sequences', `x:\n${'- '.repeat(5000)}1`],
    ['indentation', Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
    ['tags and anchors', `x: ${'!t &a ['.repeat(200)}`],
    ['nesting after a quote inside a plain scalar', `x: say "hi\ny: ${'['.repeat(200)}`],
    ['nesting after a pipe inside a plain scalar', `x: a | b\ny: ${'['.repeat(200)}`],
  ])('refuses deep %s with INPUT_TOO_DEEP and the line', (_, text) => {
    let error: unknown;
    try {
      checkYamlLimits(text, 'manifest.yaml', LIMITS);
    } catch (e) {
      error = e;
    }
    expect(isProvisioningError(error) && error.code).toBe('INPUT_TOO_DEEP');
    expect((error as Error).message).toMatch(
      /^manifest\.yaml is nested more than 64 levels deep at line \d+$/,
    );
  });

  it.each([
    ['brackets in quoted scalars', `a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'`],
    ['brackets in plain scalars', `a: x${'['.repeat(500)}`],
    ['brackets in block scalars', `a: |\n  ${'['.repeat(500)}\n  ${'- '.repeat(500)}\nb: 1`],
    ['brackets in comments', `a: 1 # ${'['.repeat(500)}\n# ${'{'.repeat(500)}`],
    ['stars in text', `description: see *this* and a * b ${'* '.repeat(300)}`],
  ])('accepts %s', (_, text) => {
    expect(codeOf(() => checkYamlLimits(text, 'f.yaml', LIMITS))).toBeUndefined();
  });

  it('refuses more aliases than the limit and input over the size limit, before parsing', () => {
    const aliases = `a: &a [1]\nb: [${'*a, '.repeat(101)}]`;
    expect(
      codeOf(() => parseYaml(aliases, extensionManifestSchema, { file: 'm.yaml', limits: LIMITS })),
    ).toBe('INPUT_TOO_MANY_ALIASES');
    const large = `${HEAD}description: ${'é'.repeat(LIMITS.maxBytes / 2)}`;
    expect(codeOf(() => parseYaml(large, extensionManifestSchema, { file: 'm.yaml', limits: LIMITS }))).toBe(
      'INPUT_TOO_LARGE',
    );
  });

  it('never estimates below the real depth, and never far above it (property)', () => {
    const styles = fc.oneof(
      fc.constantFrom(
        { collectionStyle: 'flow' as const },
        { collectionStyle: 'block' as const, indentSeq: false },
        { collectionStyle: 'block' as const, indent: 1 },
      ),
      fc.integer({ min: 0, max: 80 }).map((flowFrom) => ({ flowFrom })),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.boolean(), { minLength: 1 }),
        styles,
        (depth, bits, style) => {
          const value = nested(depth, (level) => (bits[level % bits.length] ? 'map' : 'seq'));
          const text =
            'flowFrom' in style ? flowFrom({ x: value }, style.flowFrom) : stringify({ x: value }, style);
          const code = codeOf(() => checkYamlLimits(text, 'f.yaml', { ...LIMITS, maxBytes: 1 << 30 }));
          // `x:` adds one level; the estimate may exceed the real depth, at most twice over.
          if (depth + 1 > LIMITS.maxDepth) expect(code).toBe('INPUT_TOO_DEEP');
          if (2 * (depth + 1) <= LIMITS.maxDepth) expect(code).toBeUndefined();
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});

describe('parseYaml on hostile input', () => {
  it('throws nothing but ProvisioningError, whatever the text (property)', () => {
    const fragments = fc.constantFrom(
      '[',
      ']',
      '{',
      '}',
      '- ',
      '? ',
      ': ',
      ',',
      '"',
      "'",
      '&a ',
      '*a ',
      '!t ',
      '|\n',
      '>\n',
      '#',
      '\n',
      '  ',
      'name: redis\n',
      'type: taskserv\n',
      'version: 1.0.0\n',
      'k: v\n',
      '\t',
      '---\n',
      '%YAML 1.2\n',
      '<<: *a\n',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.array(fragments, { maxLength: 400 }).map((parts) => parts.join('')),
      fc.tuple(fragments, fc.integer({ min: 50, max: 3000 })).map(([f, n]) => HEAD + f.repeat(n)),
    );
    fc.assert(
      fc.property(text, (input) => {
        try {
          parseYaml(input, extensionManifestSchema, { file: 'manifest.yaml', limits: LIMITS });
        } catch (error) {
          expect(isProvisioningError(error)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('lists at most MAX_LISTED_PROBLEMS problems and counts the rest', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}: 1`).join('\n');
    let error: unknown;
    try {
      parseYaml(`${HEAD}${keys}`, extensionManifestSchema, { file: 'manifest.yaml', limits: LIMITS });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(lines.at(-1)).toBe(`manifest.yaml: … and ${1000 - MAX_LISTED_PROBLEMS} more problems`);
  });

  it('reports a repeated key once per repetition, with the line of the first', () => {
    let error: unknown;
    try {
      parseYaml(`${HEAD}name: again\n`, extensionManifestSchema, { file: 'manifest.yaml' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).code).toBe('YAML_SYNTAX');
    expect((error as ConfigError).message).toBe(
      'manifest.yaml:4:1: YAML syntax error: duplicate key "name", map keys must be unique (first at line 1)',
    );
  });
});

describe('checkJsonLimits', () => {
  it('refuses JSON nested deeper than the limit, counting brackets outside strings only', () => {
    const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
    expect(codeOf(() => checkJsonLimits(deep, 'manifest in r'))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => checkJsonLimits(Buffer.from(deep), 'manifest in r'))).toBe('INPUT_TOO_DEEP');
    const shallow = JSON.stringify({ a: '[[[[{{{{\\"'.repeat(100), b: [[[1]]] });
    expect(codeOf(() => checkJsonLimits(shallow, 'manifest in r'))).toBeUndefined();
    expect(codeOf(() => checkJsonLimits('{}', 'x', { maxBytes: 1, maxDepth: 64, maxAliases: 0 }))).toBe(
      'INPUT_TOO_LARGE',
    );
  });

  it('agrees with the real depth of any JSON value (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.array(fc.boolean(), { minLength: 1 }),
        (depth, bits) => {
          const text = JSON.stringify(nested(depth, (level) => (bits[level % bits.length] ? 'map' : 'seq')));
          const code = codeOf(() => parseJsonWithinLimits(text, 'blob'));
          expect(code).toBe(depth > 64 ? 'INPUT_TOO_DEEP' : undefined);
        },
      ),
      { numRuns: 200 },
    );
  });
});
