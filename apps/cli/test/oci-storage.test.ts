/**
 * `oci` commands against the embedded OCI-layout storage (`source_type: oci-layout`, no registry
 * process at all), and `oci list` against a registry that refuses its catalog.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpServer, type TestHttpServer } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, jsonOk, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let workspace: string;
let extensionDir: string;
let refusing: TestHttpServer;

beforeAll(async () => {
  workspace = box.workspace(
    'ws',
    [
      'dependencies:',
      '  extensions:',
      '    source_type: "oci-layout"',
      '    oci:',
      '      registry: "localhost:5000"',
      '      namespace: "provisioning-extensions"',
      '    oci_layout:',
      '      path: "../store"',
      '',
    ].join('\n'),
  );
  extensionDir = join(box.root, 'src', 'redis');
  const generated = await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', extensionDir]);
  expect(generated.code, generated.stderr).toBe(0);
  // A registry that answers /v2/ but refuses the catalog, as GHCR and Docker Hub do.
  refusing = await startHttpServer((req, res) => {
    if (req.url === '/v2/' || req.url === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    res
      .writeHead(403, { 'content-type': 'application/json' })
      .end('{"errors":[{"code":"DENIED","message":"catalog listing is disabled"}]}');
  });
});
afterAll(async () => {
  await refusing?.close();
  box.cleanup();
});

describe('embedded layout storage (source_type: oci-layout)', () => {
  it('push, tags, list, inspect and pull work without a registry process', async () => {
    const store = join(box.root, 'store');
    const pushed = jsonOk(
      await box.run(['oci', 'push', extensionDir, 'redis', '1.0.0', '--json'], { cwd: workspace }),
    );
    expect(pushed.reference).toBe('localhost:5000/provisioning-extensions/redis:1.0.0');
    const index = JSON.parse(
      readFileSync(join(store, 'provisioning-extensions', 'redis', 'index.json'), 'utf8'),
    );
    expect(index.manifests[0].digest).toBe(pushed.digest);

    const tags = jsonOk(await box.run(['oci', 'tags', 'redis', '--json'], { cwd: workspace }));
    expect(tags.tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
    const list = jsonOk(await box.run(['oci', 'list', '--json'], { cwd: workspace }));
    expect(list.extensions).toMatchObject([{ name: 'redis', latest: '1.0.0' }]);
    const inspected = jsonOk(await box.run(['oci', 'inspect', 'redis:1.0.0', '--json'], { cwd: workspace }));
    expect(inspected.digest).toBe(pushed.digest);
    const pulled = jsonOk(await box.run(['oci', 'pull', 'redis:1.0.0', '--json'], { cwd: workspace }));
    expect(pulled.output).toBe(join(workspace, 'redis'));
    expect(existsSync(join(workspace, 'redis', 'manifest.yaml'))).toBe(true);
  });
});

describe('a registry that refuses the catalog', () => {
  it('oci list says so (exit 3, CATALOG_UNAVAILABLE) instead of showing nothing', async () => {
    const result = await box.run(['oci', 'list', '--registry', refusing.host, '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).error.code).toBe('CATALOG_UNAVAILABLE');
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: registry ${refusing.host} does not allow listing its repositories .*\\n {2}hint: .*oci tags NAME`,
      ),
    );
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });
});
