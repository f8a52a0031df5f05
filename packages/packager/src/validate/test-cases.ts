import { isMap, isSeq } from 'yaml';
import type { ExtensionProblem } from '../problems.js';
import { parseExtensionYaml } from './extension-yaml.js';

/** One case of a `tests/*.test.yaml` file (docs/extension-guide.md). */
export interface TemplateTestCase {
  name: string;
  /** Relative to `templates/`. */
  template: string;
  /** Deep-merged over `defaults.yaml`. */
  values: Record<string, unknown>;
  contains: string[];
  notContains: string[];
  /** 1-based line of the case in its file. */
  line?: number;
}

const CASE_KEYS = new Set(['name', 'template', 'values', 'contains', 'not_contains']);

/**
 * Parses a test file. Returns every well-formed case plus one problem per defect, each with the
 * line it is on, so `validate` can list them all at once.
 */
export function parseTestCases(
  file: string,
  text: string,
  templateExists: (template: string) => boolean,
): { cases: TemplateTestCase[]; problems: ExtensionProblem[] } {
  const cases: TemplateTestCase[] = [];
  const result = parseExtensionYaml(file, text);
  if (result.problems) return { cases, problems: result.problems };
  const { doc, lineCounter } = result.parsed;
  const problems: ExtensionProblem[] = [];
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  const root = doc.contents;
  const casesNode = isMap(root) ? root.get('cases', true) : undefined;
  if (!isMap(root) || !isSeq(casesNode)) {
    problems.push({ path: file, ...at(root?.range?.[0]), message: 'expected a mapping with a "cases" list' });
    return { cases, problems };
  }
  for (const key of root.items) {
    const name = String((key.key as { value?: unknown })?.value ?? key.key);
    if (name !== 'cases')
      problems.push({ path: file, message: `unknown key "${name}" (only "cases" is allowed)` });
  }

  casesNode.items.forEach((item, index) => {
    const where = at((item as { range?: [number, number, number] }).range?.[0]);
    const label = `cases[${index}]`;
    const value = (item as { toJSON?: () => unknown }).toJSON?.() ?? item;
    if (!isMap(item) || typeof value !== 'object' || value === null) {
      problems.push({ path: file, ...where, message: `${label}: expected a mapping` });
      return;
    }
    const raw = value as Record<string, unknown>;
    const before = problems.length;
    const fail = (message: string) =>
      problems.push({ path: file, ...where, message: `${label}: ${message}` });
    for (const key of Object.keys(raw)) {
      if (!CASE_KEYS.has(key)) fail(`unknown key "${key}" (allowed: ${[...CASE_KEYS].join(', ')})`);
    }
    if (typeof raw.name !== 'string' || raw.name === '') fail('"name" must be a non-empty string');
    if (typeof raw.template !== 'string' || raw.template === '') {
      fail('"template" must name a file in templates/');
    } else if (!templateExists(raw.template)) {
      fail(`template "${raw.template}" does not exist in templates/`);
    }
    if (
      raw.values !== undefined &&
      (typeof raw.values !== 'object' || raw.values === null || Array.isArray(raw.values))
    ) {
      fail('"values" must be a mapping');
    }
    for (const key of ['contains', 'not_contains'] as const) {
      const list = raw[key];
      if (list !== undefined && (!Array.isArray(list) || !list.every((s) => typeof s === 'string'))) {
        fail(`"${key}" must be a list of strings`);
      }
    }
    if (raw.contains === undefined && raw.not_contains === undefined)
      fail('needs "contains" or "not_contains"');
    if (problems.length > before) return;
    cases.push({
      name: raw.name as string,
      template: raw.template as string,
      values: (raw.values as Record<string, unknown> | undefined) ?? {},
      contains: (raw.contains as string[] | undefined) ?? [],
      notContains: (raw.not_contains as string[] | undefined) ?? [],
      line: where.line,
    });
  });
  if (casesNode.items.length === 0) problems.push({ path: file, message: '"cases" is empty' });
  return { cases, problems };
}
