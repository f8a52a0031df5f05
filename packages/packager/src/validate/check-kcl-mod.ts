import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { ExtensionProblem } from '../problems.js';
import { entryNameProblem } from '../tree/entry-name.js';

const FILE = 'kcl/kcl.mod';

/**
 * `kcl/kcl.mod` is TOML with a `[package]` naming the extension at its version; every
 * `{ path = "…" }` dependency must point at a directory inside the extension.
 */
export async function checkKclMod(
  root: string,
  expected: { name?: string; version?: string },
): Promise<ExtensionProblem[]> {
  let text: string;
  try {
    text = await readFile(path.join(root, 'kcl', 'kcl.mod'), 'utf8');
  } catch {
    return []; // missing file is reported by the layout check
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0];
      return [{ path: FILE, line: error.line, column: error.column, message: `invalid TOML: ${reason}` }];
    }
    throw error;
  }

  const problems: ExtensionProblem[] = [];
  const pkg = doc.package;
  if (!isTable(pkg)) {
    problems.push({ path: FILE, message: 'missing [package] table' });
  } else {
    if (typeof pkg.name !== 'string') {
      problems.push({ path: FILE, message: '[package].name is missing (must be the extension name)' });
    } else if (expected.name !== undefined && pkg.name !== expected.name) {
      problems.push({ path: FILE, message: `[package].name is "${pkg.name}", expected "${expected.name}"` });
    }
    if (pkg.edition !== undefined && typeof pkg.edition !== 'string') {
      problems.push({ path: FILE, message: '[package].edition must be a string such as "v0.9.0"' });
    }
    if (pkg.version === undefined) {
      problems.push({
        path: FILE,
        message: '[package].version is missing (must equal manifest.yaml version)',
      });
    } else if (expected.version !== undefined && pkg.version !== expected.version) {
      problems.push({
        path: FILE,
        message: `[package].version is "${String(pkg.version)}" but manifest.yaml says "${expected.version}"`,
      });
    }
  }

  const dependencies = doc.dependencies;
  if (dependencies !== undefined && !isTable(dependencies)) {
    problems.push({ path: FILE, message: '[dependencies] must be a table' });
  } else if (dependencies) {
    for (const [dep, spec] of Object.entries(dependencies)) {
      if (isTable(spec) && spec.path !== undefined) {
        problems.push(...(await checkPathDependency(root, dep, spec.path)));
      }
    }
  }
  return problems;
}

async function checkPathDependency(root: string, dep: string, target: unknown): Promise<ExtensionProblem[]> {
  if (typeof target !== 'string') {
    return [{ path: FILE, message: `[dependencies].${dep}.path must be a string` }];
  }
  // Resolve relative to kcl/ and require the result to stay inside the extension root.
  const resolved = path.posix.normalize(path.posix.join('kcl', target.replaceAll('\\', '/')));
  if (
    path.posix.isAbsolute(target) ||
    resolved === '..' ||
    resolved.startsWith('../') ||
    entryNameProblem(resolved)
  ) {
    return [{ path: FILE, message: `[dependencies].${dep}.path "${target}" points outside the extension` }];
  }
  try {
    await access(path.join(root, ...resolved.split('/')));
  } catch {
    return [{ path: FILE, message: `[dependencies].${dep}.path "${target}" does not exist (${resolved})` }];
  }
  return [];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
