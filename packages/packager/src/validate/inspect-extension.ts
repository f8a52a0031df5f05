import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type ExtensionManifest,
  MANIFEST_PARSE_LIMITS,
  ProvisioningError,
  parseYamlData,
} from '@provisioning/schemas';
import {
  type ExtensionType,
  isExtensionType,
  OCI_MANIFEST_FILE,
  requiredDirectories,
  requiredFiles,
} from '../extension-layout.js';
import { type ExtensionProblem, sortProblems } from '../problems.js';
import { type TreeEntry, walkTree } from '../tree/walk-tree.js';
import { loadDefaults } from './check-defaults.js';
import { checkKclMod } from './check-kcl-mod.js';
import { checkManifest } from './check-manifest.js';
import { checkTemplates, templateEntries } from './check-templates.js';
import { parseTestCases, type TemplateTestCase } from './test-cases.js';

/** Everything validation learns about an extension; `testExtension` and `packExtension` reuse it. */
export interface ExtensionInspection {
  root: string;
  manifest?: ExtensionManifest;
  problems: ExtensionProblem[];
  entries: TreeEntry[];
  defaults?: Record<string, unknown>;
  testFiles: { path: string; cases: TemplateTestCase[] }[];
}

export async function inspectExtension(dir: string): Promise<ExtensionInspection> {
  const root = path.resolve(dir);
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    throw new ProvisioningError('EXTENSION_NOT_FOUND', `extension directory not found: ${dir}`, {
      kind: 'input',
      hint: 'pass the directory that holds manifest.yaml, e.g. ./extensions/taskservs/redis',
      details: { dir },
    });
  }
  const dirName = path.basename(root);
  const { entries, problems } = await walkTree(root);
  const files = new Map(entries.map((e) => [e.path, e]));

  const { manifest, problems: manifestProblems } = await checkManifest(root);
  problems.push(...manifestProblems);
  // When the schema rejects the manifest (say, for a bad range) its name and type are still useful
  // for the remaining checks, so read them leniently as well.
  const loose = await readLooseManifest(root);
  const name = manifest?.name ?? loose.name;
  const type = (manifest?.type as ExtensionType | undefined) ?? loose.type;
  const version = manifest?.version ?? loose.version;

  if (name !== undefined && name !== dirName) {
    problems.push({
      path: 'manifest.yaml',
      message: `name "${name}" must equal the directory name "${dirName}"`,
    });
  }

  if (type !== undefined) {
    const layoutName = name ?? dirName;
    for (const required of requiredFiles(type, layoutName)) {
      const entry = files.get(required);
      if (!entry) problems.push({ path: required, message: `missing (required for every ${type})` });
      else if (entry.type !== 'file') problems.push({ path: required, message: 'must be a regular file' });
    }
    for (const required of requiredDirectories(type)) {
      if (files.get(required)?.type !== 'directory') {
        problems.push({ path: `${required}/`, message: `missing directory (required for every ${type})` });
      }
    }
  } else if (!files.has('manifest.yaml')) {
    problems.push({ path: 'manifest.yaml', message: 'missing (every extension needs a manifest.yaml)' });
  }

  if (files.has(OCI_MANIFEST_FILE)) {
    problems.push({
      path: OCI_MANIFEST_FILE,
      message: 'reserved: the packager generates this file; remove it',
    });
  }

  problems.push(...(await checkKclMod(root, { name: name ?? dirName, version })));
  problems.push(...(await checkTemplates(entries)));

  const defaults = await loadDefaults(root);
  problems.push(...defaults.problems);

  const templateNames = new Set(templateEntries(entries).map((e) => e.path.slice('templates/'.length)));
  const testFiles: ExtensionInspection['testFiles'] = [];
  for (const entry of entries) {
    if (entry.type !== 'file' || !/^tests\/[^/]+\.test\.yaml$/.test(entry.path)) continue;
    const text = await readFile(entry.absolutePath, 'utf8');
    const parsed = parseTestCases(entry.path, text, (t) => templateNames.has(t));
    problems.push(...parsed.problems);
    testFiles.push({ path: entry.path, cases: parsed.cases });
  }
  if (type === 'taskserv' && files.get('tests')?.type === 'directory' && testFiles.length === 0) {
    problems.push({ path: 'tests/', message: 'no *.test.yaml files (taskservs must ship template tests)' });
  }

  return { root, manifest, problems: sortProblems(problems), entries, defaults: defaults.values, testFiles };
}

async function readLooseManifest(
  root: string,
): Promise<{ name?: string; type?: ExtensionType; version?: string }> {
  try {
    // Within the manifest limits: over them, checkManifest reports it, once.
    const text = await readFile(path.join(root, 'manifest.yaml'), 'utf8');
    const raw = parseYamlData(text, { file: 'manifest.yaml', limits: MANIFEST_PARSE_LIMITS }) as Record<
      string,
      unknown
    > | null;
    return {
      name: typeof raw?.name === 'string' ? raw.name : undefined,
      type: typeof raw?.type === 'string' && isExtensionType(raw.type) ? raw.type : undefined,
      version: typeof raw?.version === 'string' ? raw.version : undefined,
    };
  } catch {
    return {};
  }
}
