import { type ExtensionManifest, manifestWarnings } from '@provisioning/schemas';
import type { ExtensionProblem } from '../problems.js';
import { inspectExtension } from './inspect-extension.js';

export interface ValidationResult {
  ok: boolean;
  manifest?: ExtensionManifest;
  /** Every problem found, sorted by path; paths are relative to the extension directory. */
  problems: ExtensionProblem[];
  /** Advice that does not make the extension invalid (no description, no licence). */
  warnings: ExtensionProblem[];
}

/**
 * Checks an extension directory against the layout contract (docs/extension-guide.md) without
 * touching the network. A directory that does not exist throws `EXTENSION_NOT_FOUND`; everything
 * else is reported as a problem so authors see all of them at once.
 */
export async function validateExtension(dir: string): Promise<ValidationResult> {
  const inspection = await inspectExtension(dir);
  const ok = inspection.problems.length === 0 && inspection.manifest !== undefined;
  const warnings = inspection.manifest
    ? manifestWarnings(inspection.manifest).map((text) => ({
        path: 'manifest.yaml',
        message: text.replace(/^manifest\.yaml /, ''),
      }))
    : [];
  return { ok, manifest: inspection.manifest, problems: inspection.problems, warnings };
}
