import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { yamlToData } from '@provisioning/schemas';
import type { ExtensionProblem } from '../problems.js';
import { isPlainObject } from '../templates/deep-merge.js';
import { parseExtensionYaml } from './extension-yaml.js';

/** `defaults.yaml`: the values every template renders with; must be a YAML mapping. */
export async function loadDefaults(
  root: string,
): Promise<{ values?: Record<string, unknown>; problems: ExtensionProblem[] }> {
  const file = path.join(root, 'defaults.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { problems: [] }; // reported by the layout check
  }
  const result = parseExtensionYaml('defaults.yaml', text, file);
  if (result.problems) return { problems: result.problems };
  const values = yamlToData(result.parsed, file);
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
