import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, expectNoStackOrBox, Sandbox } from './support/run-cli.js';

// Hostile nesting in an extension's YAML (issue 10, defect 15): the process must not die of a
// stack overflow (SIGABRT), and the refusal is one line naming the file, exit 1.
const box = new Sandbox();
afterAll(() => box.cleanup());

const SAMPLE = resolve(CLI_ROOT, '..', '..', 'extensions', 'providers', 'local');
const DEPTH = 3000; // "a few thousand levels", under the 16 KiB manifest limit

function extensionWith(label: string, file: string, text: string): string {
  const dir = join(box.root, label, 'local');
  cpSync(SAMPLE, dir, { recursive: true });
  writeFileSync(join(dir, file), text);
  return dir;
}

const manifest = (extra: string) =>
  `name: local\ntype: provider\nversion: 1.0.0\ndescription: x\nextra: ${extra}\n`;

const cases: { label: string; file: string; text: string; code: string }[] = [
  {
    label: 'flow-seq',
    file: 'manifest.yaml',
    text: manifest(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`),
    code: 'INPUT_TOO_DEEP',
  },
  {
    label: 'flow-map',
    file: 'manifest.yaml',
    text: manifest(`${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`),
    code: 'INPUT_TOO_DEEP',
  },
  { label: 'tagged', file: 'manifest.yaml', text: manifest('!t ['.repeat(DEPTH)), code: 'INPUT_TOO_DEEP' },
  {
    label: 'dashes',
    file: 'manifest.yaml',
    text: manifest(`\n${'- '.repeat(DEPTH)}1`),
    code: 'INPUT_TOO_DEEP',
  },
  { label: 'defaults', file: 'defaults.yaml', text: `a: ${'['.repeat(DEPTH)}\n`, code: 'INPUT_TOO_DEEP' },
  {
    label: 'large',
    file: 'manifest.yaml',
    text: manifest(`"${'a'.repeat(200_000)}"`),
    code: 'INPUT_TOO_LARGE',
  },
];

describe('oci package validate on hostile YAML', () => {
  it.each(cases)(
    '$label: one line naming the file, exit 1, with a small stack too',
    async ({ label, file, text, code }) => {
      const dir = extensionWith(label, file, text);
      // A small stack makes an unguarded recursion fail at once instead of a few thousand levels on.
      for (const nodeOptions of [[], ['--stack-size=300']]) {
        const result = await box.run(['oci', 'package', 'validate', dir], { nodeOptions });
        expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
        const lines = result.stderr.trimEnd().split('\n');
        expect(lines[0]).toMatch(new RegExp(`^error: ${join(dir, file).replace(/[.]/g, '\\.')} is `));
        expect(lines.slice(1).every((line) => line.startsWith('  hint: '))).toBe(true);
        expect(expectNoStackOrBox(result.stderr)).toEqual([]);
      }
      const json = await box.run(['oci', 'package', 'validate', dir, '--json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout).error.code).toBe(code);
    },
  );
});
