import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ExtensionManifest,
  extensionManifestSchema,
  MANIFEST_PARSE_LIMITS,
  parseYaml,
} from '@provisioning/schemas';
import type { ExtensionProblem } from '../problems.js';

interface LoaderProblem {
  line?: number;
  column?: number;
  path?: string;
  message: string;
}

/** Loads `manifest.yaml` with the schemas package; every schema/syntax problem keeps its line. */
export async function checkManifest(
  root: string,
): Promise<{ manifest?: ExtensionManifest; problems: ExtensionProblem[] }> {
  const file = path.join(root, 'manifest.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { problems: [] }; // reported by the layout check
  }
  try {
    return {
      manifest: parseYaml(text, extensionManifestSchema, {
        file,
        limits: MANIFEST_PARSE_LIMITS,
      }),
      problems: [],
    };
  } catch (error) {
    const loaderProblems = (error as { problems?: LoaderProblem[] }).problems;
    if (!Array.isArray(loaderProblems)) throw error;
    const problems: ExtensionProblem[] = loaderProblems.map((p) => ({
      path: 'manifest.yaml',
      line: p.line,
      column: p.column,
      message: p.path ? `${p.path}: ${p.message}` : p.message,
    }));
    const more = (error as { details?: { more?: unknown } }).details?.more;
    if (typeof more === 'number')
      problems.push({ path: 'manifest.yaml', message: `… and ${more} more problems` });
    return { problems };
  }
}
