/**
 * The API gateway for real: a CNCF Distribution with htpasswd auth holding the sample extensions of
 * extensions/, the server listening on a free loopback port, every contract route called with fetch.
 * Registry credentials come from a docker auth file; no response may contain them.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeWorkspace } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution, type TempDir, tempDir } from '@provisioning/testkit';
import {
  loadEffectiveConfig,
  loadPrivateKey,
  OciSession,
  publishExtension,
  resolveWorkspace,
  settingsFromEffectiveConfig,
  signArtifact,
  writeKeyPair,
} from '@provisioning/workspace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, type RunningApiServer, startApiServer } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, shaped by the assertions that read them
type Json = any;

const REPO = resolve(import.meta.dirname, '../../..');
const SAMPLES = [
  'runc',
  'containerd',
  'etcd',
  'kubernetes',
  'cilium',
  'redis',
  'postgres',
  'aws',
  'local',
  'web',
  'buildkit',
];
const USER = 'apiuser';
const PASSWORD = 'S3cret-registry-pw';
const CORE = '3.5.0';

let registry: RunningDistribution;
let tmp: TempDir;
let server: RunningApiServer;
let env: NodeJS.ProcessEnv;
let root: string;
let publicKey: string;
const bodies: string[] = [];

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  registry = await startDistribution({ auth: { htpasswd: { user: USER, password: PASSWORD } } });
  tmp = await tempDir('api-gateway-');
  root = join(tmp.path, 'ws');
  await writeWorkspace(root, { registry: registry.host, taskservs: ['kubernetes:1.28.0'] });
  const authFile = join(tmp.path, 'auth.json');
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  await writeFile(authFile, JSON.stringify({ auths: { [registry.host]: { auth } } }));
  env = { PROVISIONING_HOME: join(tmp.path, 'home'), REGISTRY_AUTH_FILE: authFile, PATH: process.env.PATH };
  const config = await loadEffectiveConfig({ cwd: root, env });
  const session = new OciSession(config);
  try {
    for (const name of SAMPLES) await publishExtension(session, name, { dir: REPO });
    const keys = await writeKeyPair(join(tmp.path, 'signer'), 'pw');
    await signArtifact(session, `${registry.host}/provisioning-extensions/redis:1.0.0`, {
      key: await loadPrivateKey(keys.privateKey, 'pw'),
    });
    publicKey = keys.publicKey;
  } finally {
    await session.close();
  }
  await resolveWorkspace({ settings: settingsFromEffectiveConfig(config), coreVersion: CORE });
  server = await startApiServer({ workspace: root, env, port: 0, version: CORE, uiDir: null });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await registry?.stop().catch(() => undefined);
  await tmp?.remove();
});

describe('api gateway routes', () => {
  it('answers health and serves an OpenAPI 3.1 document listing every route', async () => {
    expect((await call('/api/v1/health')).json).toEqual({ status: 'ok', version: CORE });
    const doc = (await call('/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/extension',
      '/api/v1/extensions',
      '/api/v1/extensions/{path}',
      '/api/v1/health',
      '/api/v1/namespaces',
      '/api/v1/resolve',
      '/api/v1/tree',
      '/api/v1/why',
      '/api/v1/workspace',
    ]);
    const resolveOp = doc.paths['/api/v1/resolve'].post;
    expect(resolveOp.requestBody.content['application/json'].schema.properties.modules.maxItems).toBe(200);
    expect(doc.paths['/api/v1/extensions'].get.parameters.map((p: Json) => p.name)).toEqual([
      'namespace',
      'q',
      'type',
    ]);
  });

  it('lists namespaces and extensions with filters', async () => {
    expect((await call('/api/v1/namespaces')).json).toEqual({
      namespaces: [{ name: 'provisioning-extensions', extension_count: SAMPLES.length }],
    });
    const all = (await call('/api/v1/extensions')).json.extensions;
    expect(all).toHaveLength(SAMPLES.length);
    const k8s = all.find((e: Json) => e.name === 'kubernetes');
    expect(k8s).toMatchObject({
      namespace: 'provisioning-extensions',
      type: 'taskserv',
      description: 'Kubernetes container orchestration platform',
      latest_version: '1.28.0',
      tags: ['1.28.0'],
      reference: `${registry.host}/provisioning-extensions/kubernetes:1.28.0`,
    });
    const providers = (await call('/api/v1/extensions?type=provider')).json.extensions;
    expect(providers.map((e: Json) => e.name).sort()).toEqual(['aws', 'local']);
    const found = (await call('/api/v1/extensions?q=ORCHESTRATION')).json.extensions;
    expect(found.map((e: Json) => e.name)).toEqual(['kubernetes']);
  });

  it('describes an extension by path and by query', async () => {
    const byPath = await call('/api/v1/extensions/provisioning-extensions/kubernetes?version=1.28.0');
    expect(byPath.status).toBe(200);
    expect(byPath.json).toMatchObject({
      name: 'kubernetes',
      version: '1.28.0',
      versions: ['1.28.0'],
      type: 'taskserv',
      signature: { status: 'unsigned', signatures: [] },
      dependencies: [
        { name: 'containerd', constraint: '>=1.7.0', optional: false },
        { name: 'etcd', constraint: '>=3.5.0', optional: false },
      ],
    });
    expect(byPath.json.manifest.min_provisioning_version).toBe('3.0.0');
    expect(byPath.json.readme).toMatch(/^# kubernetes \(taskserv\)\n/);
    const byQuery = await call('/api/v1/extension?namespace=provisioning-extensions&name=kubernetes');
    expect(byQuery.json.digest).toBe(byPath.json.digest);
    expect((await call('/api/v1/extensions/redis')).json.name).toBe('redis');
  });

  it('reports signed, and verified with the workspace trust policy', async () => {
    const signed = (await call('/api/v1/extension?name=redis')).json.signature;
    expect(signed.status).toBe('signed');
    expect(signed.signatures).toHaveLength(1);
    expect(signed.signatures[0].digest).toMatch(/^sha256:/);
    const trusting = join(tmp.path, 'trusting');
    await mkdir(join(trusting, 'config'), { recursive: true });
    await writeFile(
      join(trusting, 'config', 'provisioning.yaml'),
      `dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${registry.host}"
      namespace: "provisioning-extensions"
      tls_enabled: false
    verify:
      keys: ["${publicKey}"]
`,
    );
    const other = await startApiServer({ workspace: trusting, env, port: 0, version: CORE, uiDir: null });
    try {
      const verified = (await (await fetch(`${other.url}/api/v1/extension?name=redis`)).json()) as {
        signature: { status: string; signatures: { key_id?: string }[] };
      };
      expect(verified.signature.status).toBe('verified');
      // the trusted key that accepted it, by file name (never its path or content)
      expect(verified.signature.signatures[0]?.key_id).toBe(basename(publicKey));
      expect(signed.signatures[0].key_id).toBeUndefined();
      const unsigned = await (await fetch(`${other.url}/api/v1/extension?name=etcd`)).json();
      expect((unsigned as { signature: { status: string } }).signature.status).toBe('unsigned');
    } finally {
      await other.close();
    }
  });

  it('returns the dependency graph in both forms', async () => {
    const graph = (await call('/api/v1/extensions/provisioning-extensions/web/tree')).json;
    expect(graph.root).toBe('web@1.0.0');
    expect(graph.nodes.map((n: Json) => n.id).sort()).toEqual([
      'postgres@16.1.0',
      'redis@1.0.0',
      'web@1.0.0',
    ]);
    expect(graph.edges).toContainEqual({
      from: 'web@1.0.0',
      to: 'postgres@16.1.0',
      constraint: '>=16.0.0 <17.0.0',
    });
    const byQuery = (await call('/api/v1/tree?name=kubernetes&version=1.28.0')).json;
    expect(byQuery.edges).toContainEqual({
      from: 'containerd@1.7.0',
      to: 'runc@1.1.12',
      constraint: '>=1.1.0',
    });
  });

  it('resolves as a dry run (plan or PubGrub explanation) and writes nothing', async () => {
    const before = await readdir(root, { recursive: true });
    const post = (body: unknown) =>
      call('/api/v1/resolve', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ modules: ['taskservs/kubernetes@^1.28', 'redis'] });
    expect(ok.status).toBe(200);
    expect(ok.json.ok).toBe(true);
    expect(ok.json.modules.map((m: Json) => `${m.name}@${m.version}`)).toEqual([
      'containerd@1.7.0',
      'etcd@3.5.9',
      'kubernetes@1.28.0',
      'redis@1.0.0',
      'runc@1.1.12',
    ]);
    const failed = await post({ modules: ['clusters/web', 'taskservs/postgres@>=17'] });
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({ ok: false, code: 'RESOLUTION_FAILED' });
    expect(failed.json.explanation).toContain('postgres');
    expect(await readdir(root, { recursive: true })).toEqual(before);
  });

  it('resolves outside a workspace too, and says where to start it for the workspace routes', async () => {
    const outsideDir = join(tmp.path, 'not-a-workspace');
    await mkdir(outsideDir, { recursive: true });
    const config = await loadEffectiveConfig({
      cwd: outsideDir,
      env: { ...env, PROVISIONING_REGISTRY: registry.host },
    });
    const outside = await startApiServer({ config, env, port: 0, version: CORE, uiDir: null });
    try {
      const ask = async (path: string, init: RequestInit = {}) => {
        const response = await fetch(`${outside.url}${path}`, init);
        const text = await response.text();
        bodies.push(text);
        return { status: response.status, json: JSON.parse(text) as Json };
      };
      const plan = await ask('/api/v1/resolve', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ modules: ['kubernetes:1.28.0'] }),
      });
      expect(plan.status).toBe(200);
      expect(plan.json.ok).toBe(true);
      expect(plan.json.modules.map((m: Json) => `${m.name}@${m.version}`)).toContain('kubernetes@1.28.0');
      expect(await readdir(outsideDir)).toEqual([]);
      const status = await ask('/api/v1/workspace');
      expect(status.json.error.code).toBe('WORKSPACE_NOT_FOUND');
      expect(status.json.error.message).toBe('the API gateway was started outside a workspace');
    } finally {
      await outside.close();
    }
  });

  it('reports the workspace and why a version is chosen', async () => {
    const ws = (await call('/api/v1/workspace')).json;
    expect(ws.root).toBe(root);
    expect(ws.lock.modules).toBe(4);
    expect(ws.generation).toEqual({ current: 1, count: 1 });
    expect(ws.modules.find((m: Json) => m.name === 'runc')).toMatchObject({
      version: '1.1.12',
      installed: true,
      constraint: '*',
    });
    expect(ws.drift).toEqual([]);
    const why = (await call('/api/v1/why?module=etcd')).json;
    expect(why).toMatchObject({ module: 'etcd', version: '3.5.9' });
    expect(why.lines[1]).toContain('kubernetes 1.28.0 → etcd 3.5.9');
  });
});

describe('api gateway refusals', () => {
  it('answers 400 naming the field, 404 for unknown things, 413 for big bodies', async () => {
    const badType = await call('/api/v1/extensions?type=database');
    expect(badType.status).toBe(400);
    expect(badType.json.error.code).toBe('API_REQUEST_INVALID');
    expect(badType.json.error.message).toMatch(/^query\.type: /);
    const badRef = await call('/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ modules: ['Bad Name'] }),
    });
    expect(badRef.status).toBe(400);
    expect(badRef.json.error.message).toMatch(/^body\.modules\.0: module reference "Bad Name"/);
    const tooMany = await call('/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ modules: Array.from({ length: 201 }, () => 'redis') }),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toMatch(/^body\.modules: /);
    const longRef = await call(`/api/v1/extension?name=${'a'.repeat(300)}`);
    expect(longRef.status).toBe(400);
    const big = await call('/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ modules: ['redis'], pad: 'x'.repeat(70 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('API_BODY_TOO_LARGE');
    const missing = await call('/api/v1/extensions/provisioning-extensions/nosuch');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('REPOSITORY_NOT_FOUND');
    const noTag = await call('/api/v1/extension?name=redis&version=9.9.9');
    expect(noTag.status).toBe(404);
    expect(noTag.json.error.code).toBe('TAG_NOT_FOUND');
    expect((await call('/api/v1/nothing')).status).toBe(404);
  });

  it('never returns the registry credentials', () => {
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    expect(bodies.length).toBeGreaterThan(15);
    for (const body of bodies) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(basic);
    }
  });

  it('refuses a non-loopback host without a token, and wants the bearer token with one', async () => {
    await expect(createApiServer({ workspace: root, env, host: '0.0.0.0', version: CORE })).rejects.toThrow(
      /binding 0\.0\.0\.0 exposes the API beyond this machine without a token/,
    );
    const tokenFile = join(tmp.path, 'token');
    await writeFile(tokenFile, 'tok-123\n');
    const guarded = await startApiServer({
      workspace: root,
      env,
      host: '127.0.0.1',
      port: 0,
      tokenFile,
      version: CORE,
      uiDir: null,
    });
    try {
      const none = await fetch(`${guarded.url}/api/v1/health`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('API_UNAUTHORIZED');
      const wrong = await fetch(`${guarded.url}/api/v1/health`, {
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.url}/api/v1/health`, {
        headers: { authorization: 'Bearer tok-123' },
      });
      expect(right.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('serves the UI directory with SPA fallback', async () => {
    const ui = join(tmp.path, 'ui');
    await mkdir(join(ui, 'assets'), { recursive: true });
    await writeFile(join(ui, 'index.html'), '<html>control center</html>');
    await writeFile(join(ui, 'assets', 'app.js'), 'console.log(1)');
    const withUi = await startApiServer({ workspace: root, env, port: 0, version: CORE, uiDir: ui });
    try {
      const js = await fetch(`${withUi.url}/assets/app.js`);
      expect(js.headers.get('content-type')).toContain('javascript');
      expect(await js.text()).toBe('console.log(1)');
      expect(await (await fetch(`${withUi.url}/extensions/kubernetes`)).text()).toBe(
        '<html>control center</html>',
      );
      expect(await (await fetch(`${withUi.url}/..%2f..%2fetc%2fpasswd`)).text()).toBe(
        '<html>control center</html>',
      );
      expect((await fetch(`${withUi.url}/api/v1/unknown`)).status).toBe(404);
    } finally {
      await withUi.close();
    }
  });
});
