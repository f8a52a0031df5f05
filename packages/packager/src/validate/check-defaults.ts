import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { ExtensionProblem } from '../problems.js';
import { isPlainObject } from '../testing/deep-merge.js';

/** `defaults.yaml`: the values every template renders with; must be a YAML mapping. */
export async function loadDefaults(
  root: string,
): Promise<{ values?: Record<string, unknown>; problems: ExtensionProblem[] }> {
  let text: string;
  try {
    text = await readFile(path.join(root, 'defaults.yaml'), 'utf8');
  } catch {
    return { problems: [] }; // reported by the layout check
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return {
          path: 'defaults.yaml',
          line: pos.line,
          column: pos.col,
          message: `YAML syntax: ${error.message.split('\n')[0]}`,
        };
      }),
    };
  }
  const values = doc.toJS() as unknown;
  if (!isPlainObject(values)) {
    const got =
      values === null || values === undefined
        ? 'an empty document'
        : Array.isArray(values)
          ? 'a list'
          : typeof values;
    return {
      problems: [{ path: 'defaults.yaml', message: `must be a mapping of default values, got ${got}` }],
    };
  }
  return { values, problems: [] };
}
