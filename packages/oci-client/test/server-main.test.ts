/** The registry as a detached process: `node dist/server/main.js --root R --port P`. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../src/layout/test-support/fixtures.js';

const mainJs = fileURLToPath(new URL('../dist/server/main.js', import.meta.url));
const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));
let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await makeTempDir('server-main-');
});
afterAll(async () => {
  await dir.cleanup();
});

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('registry server process', () => {
  it('prints a ready line, serves, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(mainJs), `build the package first (${mainJs} is missing)`).toBe(true);
    const child = spawn(
      process.execPath,
      [mainJs, '--root', dir.path, '--port', '0', '--host', '127.0.0.1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = exitOf(child);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
      });
      const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      expect(match).not.toBeNull();
      const res = await fetch(`${match![1]}/v2/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('names its own entry point for spawners', async () => {
    const { registryServerEntry } = (await import(distIndex)) as { registryServerEntry(): string };
    expect(registryServerEntry()).toBe(mainJs);
  });

  it('exits with status 2 and a usage line on bad arguments', async () => {
    const child = spawn(process.execPath, [mainJs, '--root', dir.path, '--port', 'many'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toContain('usage: main.js --root DIR --port PORT');
  });
});
