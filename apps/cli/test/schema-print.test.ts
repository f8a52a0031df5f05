import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

describe('schema print and the modeline', () => {
  it('prints each schema with its $id, and writes it with --output', async () => {
    for (const [name, file] of [
      ['manifest', 'extension-manifest.schema.json'],
      ['workspace', 'workspace-config.schema.json'],
      ['lock', 'lockfile.schema.json'],
    ] as const) {
      const printed = await box.run(['schema', 'print', name]);
      expect(printed.code).toBe(0);
      expect(JSON.parse(printed.stdout).$id).toMatch(new RegExp(`/${file.replaceAll('.', '\\.')}$`));
    }
    const out = join(box.root, 'schemas', 'm.json');
    const written = await box.run(['schema', 'print', 'manifest', '-o', out]);
    expect(written.stdout).toBe(`wrote the manifest schema to ${out}\n`);
    expect(JSON.parse(readFileSync(out, 'utf8')).title).toBe('provisioning extension manifest');
  });

  it('refuses an unknown schema name with the choices', async () => {
    const result = await box.run(['schema', 'print', 'manifests']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/manifest, workspace, lock/);
  });

  it('generate extension starts manifest.yaml with a modeline naming the schema $id', async () => {
    const generated = await box.run(['generate', 'extension', 'taskserv', 'rediz', '--dir', 'gen']);
    expect(generated.code).toBe(0);
    const first = readFileSync(join(box.root, 'gen', 'manifest.yaml'), 'utf8').split('\n')[0];
    const id = JSON.parse((await box.run(['schema', 'print', 'manifest'])).stdout).$id;
    expect(first).toBe(`# yaml-language-server: $schema=${id}`);
  });
});
