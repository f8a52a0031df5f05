import {
  CONFIG_PARSE_LIMITS,
  ConfigError,
  type ParsedYaml,
  type ParseLimits,
  parseYamlDocument,
} from '@provisioning/schemas';
import type { ExtensionProblem } from '../problems.js';

/**
 * Parses one YAML data file of an extension within `limits` (docs/extension-guide.md):
 * syntax errors come back as problems with their line, so `validate` lists them with the others;
 * input over a limit (size, nesting, aliases) is thrown, one line naming the file (`shownAs`, the
 * full path when the caller knows it; problems keep the relative `file`).
 */
export function parseExtensionYaml(
  file: string,
  text: string,
  shownAs = file,
  limits: Readonly<ParseLimits> = CONFIG_PARSE_LIMITS,
): { parsed: ParsedYaml; problems?: undefined } | { parsed?: undefined; problems: ExtensionProblem[] } {
  try {
    return { parsed: parseYamlDocument(text, { file: shownAs, limits }) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems: ExtensionProblem[] = error.problems.map((p) => ({
      path: file,
      ...(p.line === undefined ? {} : { line: p.line }),
      ...(p.column === undefined ? {} : { column: p.column }),
      message: p.message,
    }));
    const more = error.details.more;
    if (typeof more === 'number') problems.push({ path: file, message: `… and ${more} more problems` });
    return { problems };
  }
}
