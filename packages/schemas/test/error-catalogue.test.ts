// One catalogue of codes (docs/architecture.md, "Error model"): every code the sources raise is in
// it, with the kind the sources give it, and docs/errors.md is the catalogue as generated.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, errorCatalogueMarkdown, ProvisioningError } from '../src/index.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const SOURCE_ROOTS = [
  'packages/schemas/src',
  'packages/oci-client/src',
  'packages/packager/src',
  'packages/resolver/src',
  'packages/workspace/src',
  'apps/cli/src',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

// `new XError('CODE', …)`, `super('CODE', …)`, `make('CODE', …)`, `code: 'CODE'`, `aggregateError('CODE', …)`
const RAISED =
  /(?:Error|super|make|aggregateError|Problem)\(\s*(?:\d+\s*,\s*)?'([A-Z][A-Z0-9_]+)'|\bcode:\s*'([A-Z][A-Z0-9_]+)'/g;

function raisedCodes(): Map<string, { file: string; kind: string | undefined }[]> {
  const found = new Map<string, { file: string; kind: string | undefined }[]>();
  for (const root of SOURCE_ROOTS) {
    for (const file of sourceFiles(join(repo, root))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(RAISED)) {
        const code = (match[1] ?? match[2]) as string;
        // the literal kind given at this call site, if any, within the options that follow
        const after = text.slice(match.index, match.index + 600);
        const kind = /\bkind:\s*'(\w+)'/.exec(
          after.slice(0, after.search(/\n\s*\}\s*\)|\)\s*;/) + 1 || 600),
        )?.[1];
        const list = found.get(code) ?? [];
        list.push({ file: file.slice(repo.length), kind });
        found.set(code, list);
      }
    }
  }
  return found;
}

describe('the error catalogue', () => {
  const raised = raisedCodes();

  it('holds every code the sources raise', () => {
    // the built-in server's wire codes (distribution-spec) are the spec's, not ours
    const wireOnly = new Set(['NOT_FOUND', 'UNKNOWN', 'PAGINATION_NUMBER_INVALID']);
    const missing = [...raised.keys()].filter((code) => !(code in ERROR_CATALOGUE) && !wireOnly.has(code));
    expect(missing.sort()).toEqual([]);
    expect(raised.size).toBeGreaterThan(100);
  });

  it('gives each code the kind its call sites give it', () => {
    const disagreeing: string[] = [];
    for (const [code, sites] of raised) {
      const entry = (ERROR_CATALOGUE as Record<string, { kind: string }>)[code];
      if (!entry) continue;
      for (const site of sites)
        if (site.kind !== undefined && site.kind !== entry.kind)
          disagreeing.push(`${code}: ${site.kind} in ${site.file}, ${entry.kind} in the catalogue`);
    }
    expect(disagreeing).toEqual([]);
  });

  it('decides the kind, so a code has one exit status wherever it is raised', () => {
    const error = new ProvisioningError('DIGEST_MISMATCH', 'x', { kind: 'input' });
    expect(error.kind).toBe('registry');
    expect(error.exitCode).toBe(3);
    expect(new ProvisioningError('TAG_NOT_FOUND', 'x').exitCode).toBe(1);
  });

  it('is what docs/errors.md says (regenerate with `node scripts/generate-error-docs.mjs`)', () => {
    expect(readFileSync(join(repo, 'docs', 'errors.md'), 'utf8')).toBe(errorCatalogueMarkdown());
  });
});
