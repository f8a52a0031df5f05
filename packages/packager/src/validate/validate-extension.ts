import { type ExtensionManifest, manifestWarnings } from '@provisioning/schemas';
import { findNu } from '../nushell/find-nu.js';
import { checkNuFiles, nuFiles } from '../nushell/ide-check.js';
import { type ExtensionProblem, sortProblems } from '../problems.js';
import { inspectExtension } from './inspect-extension.js';

export interface ValidationResult {
  ok: boolean;
  manifest?: ExtensionManifest;
  /** Every problem found, sorted by path; paths are relative to the extension directory. */
  problems: ExtensionProblem[];
  /** Advice that does not make the extension invalid (no description, no licence). */
  warnings: ExtensionProblem[];
}

export interface ValidateExtensionOptions {
  /**
   * The `nu` binary that parse-checks every `.nu` file (default: `findNu()`, asked only when the
   * extension has `.nu` files); `false` skips that check.
   */
  nu?: string | false;
}

/**
 * Checks an extension directory against the layout contract (docs/extension-guide.md) without
 * touching the network. A directory that does not exist throws `EXTENSION_NOT_FOUND`; everything
 * else is reported as a problem so authors see all of them at once. Nushell files are parse-checked
 * with `nu --ide-check` (`scripts/install.nu:3:5: message`).
 */
export async function validateExtension(
  dir: string,
  options: ValidateExtensionOptions = {},
): Promise<ValidationResult> {
  const inspection = await inspectExtension(dir);
  let problems = inspection.problems;
  const scriptWarnings: ExtensionProblem[] = [];
  if (options.nu !== false && nuFiles(inspection.entries).length > 0) {
    const checked = await checkNuFiles(inspection.root, inspection.entries, options.nu ?? findNu());
    problems = sortProblems([...problems, ...checked.problems]);
    scriptWarnings.push(...checked.warnings);
  }
  const ok = problems.length === 0 && inspection.manifest !== undefined;
  const manifestAdvice = inspection.manifest
    ? manifestWarnings(inspection.manifest).map((text) => ({
        path: 'manifest.yaml',
        message: text.replace(/^manifest\.yaml /, ''),
      }))
    : [];
  const warnings = [...manifestAdvice, ...scriptWarnings];
  return { ok, manifest: inspection.manifest, problems, warnings };
}
