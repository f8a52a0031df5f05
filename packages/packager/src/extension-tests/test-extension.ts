import path from 'node:path';
import { findNu } from '../nushell/find-nu.js';
import { checkNuFiles, nuFiles } from '../nushell/ide-check.js';
import { formatExtensionProblem } from '../problems.js';
import { deepMerge } from '../templates/deep-merge.js';
import { createTemplateEnvironment, templateErrorReason } from '../templates/template-env.js';
import { templateEntries } from '../validate/check-templates.js';
import { inspectExtension } from '../validate/inspect-extension.js';
import { runNuTests } from './nu-tests.js';

export interface ExtensionCheck {
  /** `validate`, `render templates/x.j2`, or `tests/x.test.yaml: <case name>`. */
  name: string;
  ok: boolean;
  message?: string;
}

export interface TestExtensionOptions {
  /** The `nu` binary (default: `findNu()`, asked only when the extension has `.nu` files). */
  nu?: string;
  /** How long one `tests/*.nu` may run (default 5 minutes). */
  testTimeoutMs?: number;
}

export interface ExtensionTestReport {
  ok: boolean;
  checks: ExtensionCheck[];
}

/**
 * Runs an extension's local checks without network: validation, rendering every template with
 * `defaults.yaml` (printing an undefined variable fails), and every case of `tests/*.test.yaml`
 * (values deep-merged over the defaults; `contains` / `not_contains` substrings). Every `.nu` file
 * is parse-checked with `nu --ide-check`, and every `tests/*.nu` is run.
 */
export async function testExtension(
  dir: string,
  options: TestExtensionOptions = {},
): Promise<ExtensionTestReport> {
  const inspection = await inspectExtension(dir);
  const checks: ExtensionCheck[] = [];
  checks.push(
    inspection.problems.length === 0
      ? { name: 'validate', ok: true }
      : {
          name: 'validate',
          ok: false,
          message: inspection.problems.map(formatExtensionProblem).join('\n'),
        },
  );

  const defaults = inspection.defaults ?? {};
  const env = createTemplateEnvironment(path.join(inspection.root, 'templates'), { strict: true });
  const render = (template: string, values: Record<string, unknown>): { output?: string; error?: string } => {
    try {
      return { output: env.render(template, values) };
    } catch (error) {
      return { error: templateErrorReason(error) };
    }
  };

  for (const entry of templateEntries(inspection.entries)) {
    const template = entry.path.slice('templates/'.length);
    const result = render(template, defaults);
    checks.push(
      result.error === undefined
        ? { name: `render ${entry.path}`, ok: true }
        : { name: `render ${entry.path}`, ok: false, message: result.error },
    );
  }

  for (const file of inspection.testFiles) {
    for (const testCase of file.cases) {
      const name = `${file.path}: ${testCase.name}`;
      const result = render(testCase.template, deepMerge(defaults, testCase.values));
      if (result.output === undefined) {
        checks.push({ name, ok: false, message: `rendering ${testCase.template} failed: ${result.error}` });
        continue;
      }
      const output = result.output;
      const failures = [
        ...testCase.contains.filter((s) => !output.includes(s)).map((s) => `missing ${JSON.stringify(s)}`),
        ...testCase.notContains
          .filter((s) => output.includes(s))
          .map((s) => `unexpected ${JSON.stringify(s)}`),
      ];
      checks.push(
        failures.length === 0
          ? { name, ok: true }
          : { name, ok: false, message: `${testCase.template}: ${failures.join(', ')}` },
      );
    }
  }

  if (nuFiles(inspection.entries).length > 0) {
    const nu = options.nu ?? findNu();
    const { problems } = await checkNuFiles(inspection.root, inspection.entries, nu);
    for (const entry of nuFiles(inspection.entries)) {
      const found = problems.filter((p) => p.path === entry.path);
      checks.push(
        found.length === 0
          ? { name: `parse ${entry.path}`, ok: true }
          : { name: `parse ${entry.path}`, ok: false, message: found.map(formatExtensionProblem).join('\n') },
      );
    }
    for (const result of await runNuTests(inspection.root, inspection.entries, {
      nu,
      timeoutMs: options.testTimeoutMs ?? 5 * 60_000,
    })) {
      checks.push({
        name: `run ${result.path}`,
        ok: result.ok,
        ...(result.message ? { message: result.message } : {}),
      });
    }
  }
  return { ok: checks.every((c) => c.ok), checks };
}
