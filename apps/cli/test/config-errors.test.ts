import { afterAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

// Line 6 has the bad value, line 7 the misspelt key.
const ws = box.workspace(
  'broken',
  `dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "reg.example:5000"
      tls_enabled: "maybe"
      namespac: "provisioning-extensions"
`,
);
const file = `${ws}/config/provisioning.yaml`;

describe('an invalid workspace configuration', () => {
  it('exits 1 naming the file, key path and line of every problem, without a stack trace', async () => {
    const result = await box.run(['oci', 'config'], { cwd: ws });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: ${file.replaceAll('.', '\\.')}:6:\\d+: dependencies\\.extensions\\.oci\\.tls_enabled: .*boolean`,
      ),
    );
    const unknownKey = lines.find((l) => l.includes('dependencies.extensions.oci') && l.includes('namespac'));
    expect(unknownKey).toMatch(/provisioning\.yaml:7:\d+: /);
    expect(unknownKey).toContain('"namespace"'); // the suggestion
    expect(result.stderr).toContain('  hint: ');
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });

  it('with --json prints code and problems on stdout', async () => {
    const result = await box.run(['oci', 'config', '--json'], { cwd: ws });
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout);
    expect(body.error.code).toBe('CONFIG_INVALID');
    expect(body.error.problems).toHaveLength(2);
    expect(body.error.problems.map((p: { line: number }) => p.line)).toEqual([6, 7]);
  });

  it('--debug adds the stack trace', async () => {
    const result = await box.run(['oci', 'config', '--debug'], { cwd: ws });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});

describe('a registry or source kind this version cannot use', () => {
  it.each([
    ['registry:\n    type: "gitea"', 'dependencies.registry.type: "gitea"'],
    ['registry:\n    type: "http"', 'dependencies.registry.type: "http"'],
  ])('%s is refused by name, not labelled "default"', async (yaml, named) => {
    const dir = box.workspace(`kind-${named.replace(/\W+/g, '-')}`, `dependencies:\n  ${yaml}\n`);
    const result = await box.run(['oci', 'config'], { cwd: dir });
    expect(result.code, result.stdout).toBe(1);
    const [line, hint] = result.stderr.trimEnd().split('\n');
    expect(line).toBe(`error: ${dir}/config/provisioning.yaml: ${named} is not supported yet`);
    expect(hint).toMatch(/^ {2}hint: use "oci" for any OCI registry/);
    const json = await box.run(['oci', 'config', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout).error.code).toBe('CONFIG_UNSUPPORTED');
  });
});
