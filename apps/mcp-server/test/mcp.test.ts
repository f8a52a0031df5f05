/**
 * The MCP server through the SDK's own client, over stdio (`provisioning platform mcp` spawned)
 * and streamable HTTP, against a real Distribution holding a small sample graph: every tool listed
 * with schemas and called, outputs checked against the advertised output schemas, a conflict
 * explained, a broken extension reported with file:line, writes refused without --allow-writes
 * and done with it, 401 without the token, a non-loopback bind without a token refused.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { KUBERNETES_GRAPH, publishToRegistry } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'bin', 'run.js');
const NS = 'provisioning-extensions';
const READ_TOOLS = [
  'explain_version',
  'inspect_extension',
  'list_versions',
  'resolve_dry_run',
  'search_extensions',
  'show_dependency_tree',
  'validate_extension',
  'workspace_status',
];

let registry: RunningDistribution;
let root: string;
let ws: string;
const clients: Client[] = [];

function env(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(root, 'home'),
    PROVISIONING_HOME: join(root, 'prov-home'),
  };
}

async function stdioClient(extra: string[] = []): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'platform', 'mcp', '--workspace', ws, '--plain-http', ...extra],
      env: env(),
      stderr: 'pipe',
    }),
  );
  clients.push(client);
  return client;
}

/** Text of a tool error, or the structured output of a success. */
function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'prov-mcp-'));
  mkdirSync(join(root, 'home'));
  mkdirSync(join(root, 'prov-home'));
  registry = await startDistribution();
  await publishToRegistry(
    registry.host,
    NS,
    [
      ...KUBERNETES_GRAPH,
      // needs a kubernetes older than any published: resolving it beside kubernetes 1.29 conflicts
      {
        type: 'taskserv',
        name: 'legacy-operator',
        version: '1.0.0',
        dependencies: { kubernetes: '<1.28.0' },
      },
    ],
    join(root, 'publish'),
  );
  ws = join(root, 'ws');
  mkdirSync(join(ws, 'config'), { recursive: true });
  writeFileSync(
    join(ws, 'config', 'provisioning.yaml'),
    [
      'dependencies:',
      '  extensions:',
      '    oci:',
      `      registry: "${registry.host}"`,
      `      namespace: "${NS}"`,
      '    modules:',
      '      taskservs:',
      `        - "oci://${registry.host}/${NS}/redis:1.0.0"`,
      '',
    ].join('\n'),
  );
  // a broken extension: the manifest names no version
  mkdirSync(join(ws, 'broken'), { recursive: true });
  writeFileSync(
    join(ws, 'broken', 'manifest.yaml'),
    'name: broken\ntype: taskserv\nversion: [not, a, version]\n',
  );
}, 180_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('stdio, read-only', () => {
  let client: Client;
  beforeAll(async () => {
    client = await stdioClient();
  });

  it('lists the read tools with input and output schemas, and no write tool', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(READ_TOOLS);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
  });

  it('answers every registry tool with structured output (the client validates it against outputSchema)', async () => {
    const search = await client.callTool({ name: 'search_extensions', arguments: { query: 'kube' } });
    expect(search.isError).toBeFalsy();
    const names = (search.structuredContent as { extensions: { name: string }[] }).extensions.map(
      (e) => e.name,
    );
    expect(names).toEqual(['kubernetes']);

    const versions = await client.callTool({ name: 'list_versions', arguments: { name: 'kubernetes' } });
    expect((versions.structuredContent as { versions: string[] }).versions).toEqual(['1.29.0', '1.28.0']);

    const inspect = await client.callTool({
      name: 'inspect_extension',
      arguments: { name: 'kubernetes', version: '1.28.0' },
    });
    const described = inspect.structuredContent as { version: string; dependencies: { name: string }[] };
    expect(described.version).toBe('1.28.0');
    expect(described.dependencies.map((d) => d.name).sort()).toEqual(['containerd', 'etcd']);

    const tree = await client.callTool({ name: 'show_dependency_tree', arguments: { name: 'kubernetes' } });
    const graph = tree.structuredContent as { root: string; nodes: { id: string }[] };
    expect(graph.root).toBe('kubernetes@1.29.0');
    expect(graph.nodes.map((n) => n.id)).toContain('runc@1.1.12');
  });

  it('resolve_dry_run gives a plan, and explains a conflict', async () => {
    const plan = await client.callTool({
      name: 'resolve_dry_run',
      arguments: { modules: ['kubernetes@^1.28'] },
    });
    const ok = plan.structuredContent as { ok: boolean; modules: { name: string; version: string }[] };
    expect(ok.ok).toBe(true);
    expect(ok.modules.find((m) => m.name === 'kubernetes')?.version).toBe('1.29.0');

    const conflict = await client.callTool({
      name: 'resolve_dry_run',
      arguments: { modules: ['kubernetes@1.29.0', 'legacy-operator@1.0.0'] },
    });
    const failed = conflict.structuredContent as { ok: boolean; code: string; explanation: string };
    expect(failed.ok).toBe(false);
    expect(failed.code).toBe('RESOLUTION_FAILED');
    expect(failed.explanation).toMatch(/legacy-operator/);
    expect(failed.explanation).toMatch(/kubernetes/);
  });

  it('workspace_status and explain_version answer about the workspace', async () => {
    const status = await client.callTool({ name: 'workspace_status', arguments: {} });
    expect(status.isError, text(status)).toBeFalsy();
    expect((status.structuredContent as { root: string }).root).toBe(ws);
    // nothing installed yet: a catalogue error, one line, no stack
    const why = await client.callTool({ name: 'explain_version', arguments: { module: 'redis' } });
    expect(why.isError).toBe(true);
    expect(text(why)).toMatch(/^[A-Z_]+: [^\n]+$/);
  });

  it('validate_extension reports file:line for a broken extension', async () => {
    const result = await client.callTool({ name: 'validate_extension', arguments: { path: 'broken' } });
    const out = result.structuredContent as {
      ok: boolean;
      problems: { file: string; line?: number; location: string }[];
    };
    expect(out.ok).toBe(false);
    const manifest = out.problems.find((p) => p.file === 'manifest.yaml');
    expect(manifest?.line).toBe(3);
    expect(manifest?.location).toMatch(/^manifest\.yaml:3/);
  });

  it('refuses writes with MCP_WRITES_DISABLED and writes nothing', async () => {
    const result = await client.callTool({
      name: 'oci_pull',
      arguments: { reference: 'redis:1.0.0', output: 'pulled' },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^MCP_WRITES_DISABLED: oci_pull/);
    expect(existsSync(join(ws, 'pulled'))).toBe(false);
  });

  it('an unknown extension is a catalogue error: code and one line, no stack', async () => {
    const result = await client.callTool({ name: 'inspect_extension', arguments: { name: 'no-such-thing' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(
      /^(REPOSITORY_NOT_FOUND|TAG_NOT_FOUND|EXTENSION_NOT_FOUND): [^\n]*no-such-thing[^\n]*$/,
    );
  });

  it('a malformed argument is an error naming the argument', async () => {
    const result = await client.callTool({ name: 'resolve_dry_run', arguments: { modules: 'redis' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/modules/);
    expect(text(result)).not.toMatch(/\n\s+at /);
  });
});

describe('stdio with --allow-writes', () => {
  it('lists dep_resolve and oci_pull, and they write', async () => {
    const client = await stdioClient(['--allow-writes']);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['dep_resolve', 'oci_pull']));
    const pull = await client.callTool({
      name: 'oci_pull',
      arguments: { reference: 'redis:1.0.0', output: 'pulled' },
    });
    expect(pull.isError, text(pull)).toBeFalsy();
    expect(existsSync(join(ws, 'pulled', 'manifest.yaml'))).toBe(true);
    const resolved = await client.callTool({ name: 'dep_resolve', arguments: {} });
    expect(resolved.isError, text(resolved)).toBeFalsy();
    expect(existsSync(join(ws, 'config', 'provisioning.lock'))).toBe(true);
    // now installed: explain_version names the version and why
    const why = await client.callTool({ name: 'explain_version', arguments: { module: 'redis' } });
    expect(why.isError, text(why)).toBeFalsy();
    const explained = why.structuredContent as { module: string; version: string; explanation: string };
    expect(explained).toMatchObject({ module: 'redis', version: '1.0.0' });
    expect(explained.explanation).toMatch(/redis 1\.0\.0 is installed because/);
  });
});

describe('streamable HTTP', () => {
  async function startHttp(extra: string[]): Promise<{ url: string; stop: () => void }> {
    const child = spawn(
      process.execPath,
      [BIN, 'platform', 'mcp', '--http', '--port', '0', '--workspace', ws, '--plain-http', ...extra],
      {
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const match = /listening at (\S+)/.exec(out);
        if (match) done(match[1] as string);
      });
      child.on('exit', (code) => fail(new Error(`exited ${code}`)));
    });
    return { url, stop: () => child.kill('SIGTERM') };
  }

  it('serves the tools on loopback without a token', async () => {
    const server = await startHttp([]);
    try {
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      clients.push(client);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(READ_TOOLS);
      const versions = await client.callTool({ name: 'list_versions', arguments: { name: 'redis' } });
      expect((versions.structuredContent as { versions: string[] }).versions).toEqual(['1.0.0']);
    } finally {
      server.stop();
    }
  });

  it('with a token file: 401 without the token, served with it', async () => {
    const tokenFile = join(root, 'token');
    writeFileSync(tokenFile, 'sekrit-token\n');
    const server = await startHttp(['--token-file', tokenFile]);
    try {
      const bare = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(bare.status).toBe(401);
      // a liveness probe needs no token and learns nothing else
      const health = await fetch(new URL('/health', server.url));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), {
          requestInit: { headers: { Authorization: 'Bearer sekrit-token' } },
        }),
      );
      clients.push(client);
      expect((await client.listTools()).tools.length).toBe(READ_TOOLS.length);
    } finally {
      server.stop();
    }
  });

  it('refuses a non-loopback bind without a token', async () => {
    const failure = await exec(process.execPath, [BIN, 'platform', 'mcp', '--http', '--host', '0.0.0.0'], {
      env: env(),
    }).catch((error: { code: number; stderr: string }) => error);
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toMatch(/--host 0\.0\.0\.0 is not a loopback address/);
    expect((failure as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });
});
