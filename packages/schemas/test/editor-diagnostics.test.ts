// yaml-language-server, as VS Code and Neovim run it, validates files against our JSON Schema files
// through the modeline. Spoken to over stdio with the Language Server Protocol: initialize, open a
// document, read the diagnostics it publishes.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');
const serverBin = join(
  dirname(createRequire(import.meta.url).resolve('yaml-language-server/package.json')),
  'bin',
  'yaml-language-server',
);

interface Diagnostic {
  message: string;
  range: { start: { line: number } };
}

class LanguageServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly diagnostics = new Map<string, (d: Diagnostic[]) => void>();

  constructor() {
    this.child = spawn(process.execPath, [serverBin, '--stdio'], { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString());
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message.id !== undefined && this.pending.has(message.id)) {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      } else if (message.id !== undefined && message.method) {
        // workspace/configuration and similar requests from the server: answer with defaults.
        this.send({
          jsonrpc: '2.0',
          id: message.id,
          result: message.method === 'workspace/configuration' ? [{}] : null,
        });
      } else if (message.method === 'textDocument/publishDiagnostics') {
        this.diagnostics.get(message.params.uri)?.(message.params.diagnostics);
      }
    }
  }

  private send(message: object): void {
    const body = JSON.stringify(message);
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: object): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Opens a document and resolves with the first non-empty diagnostics published for it. */
  open(uri: string, text: string): Promise<Diagnostic[]> {
    return new Promise((resolve) => {
      this.diagnostics.set(uri, (d) => {
        if (d.length > 0) resolve(d);
      });
      this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

const modeline = (file: string) =>
  `# yaml-language-server: $schema=${pathToFileURL(join(schemaDir, file)).href}`;

describe('yaml-language-server with the shipped JSON Schema files', () => {
  let server: LanguageServer;
  beforeAll(async () => {
    server = new LanguageServer();
    await server.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    server.notify('initialized', {});
    server.notify('workspace/didChangeConfiguration', {
      settings: { yaml: { validate: true, schemaStore: { enable: false } } },
    });
  });
  afterAll(() => server?.stop());

  it('flags a number as version, a bad range, a bad enum and an unknown key in manifest.yaml', async () => {
    const text = [
      modeline('extension-manifest.schema.json'),
      'name: redis',
      'type: taskservz',
      'version: 1.0',
      'description: Redis',
      'colour: red',
      'dependencies:',
      '  x: "not a range"',
      '',
    ].join('\n');
    const diagnostics = await server.open('file:///virtual/redis/manifest.yaml', text);
    const byLine = new Map(diagnostics.map((d) => [d.range.start.line, d.message]));
    expect(byLine.get(2)).toMatch(/taskserv/); // enum: the allowed values are listed
    expect(byLine.get(3)).toMatch(/string/i); // 1.0 is a number, not a version string
    expect(byLine.get(5)).toMatch(/not allowed|colour/i); // unknown key
    expect(byLine.get(7)).toMatch(/pattern/i); // "not a range" is no semver range
  }, 30_000);

  it('flags a bad reference in provisioning.yaml and accepts a correct one', async () => {
    const text = [
      modeline('workspace-config.schema.json'),
      'dependencies:',
      '  extensions:',
      '    modules:',
      '      taskservs:',
      '        - "oci://localhost:5000/provisioning-extensions/redis:1.0.0"',
      '        - "not a reference!"',
      '',
    ].join('\n');
    const diagnostics = await server.open('file:///virtual/w/config/provisioning.yaml', text);
    expect(diagnostics.map((d) => d.range.start.line)).toEqual([6]);
    expect(diagnostics[0]?.message).toMatch(/pattern/i);
  }, 30_000);
});
