import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `DIR/docker-credential-NAME`, a Docker credential helper speaking the whole protocol
 * (`store`, `get`, `erase`; "credentials not found" and exit 1 when it has nothing) that keeps its
 * secrets in the JSON file `vault`, keyed by server URL: a keychain stand-in for tests. Put DIR on
 * PATH and name the helper in a Docker config's `credsStore` or `credHelpers`.
 */
export function writeFakeCredentialHelper(dir: string, name: string, vault: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `docker-credential-${name}`);
  writeFileSync(
    path,
    `#!/usr/bin/env node
const fs = require('node:fs');
const file = ${JSON.stringify(vault)};
const db = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const input = fs.readFileSync(0, 'utf8').trim();
const missing = () => { console.log('credentials not found in native keychain'); process.exit(1); };
switch (process.argv[2]) {
  case 'store': { const r = JSON.parse(input); db[r.ServerURL] = r; fs.writeFileSync(file, JSON.stringify(db)); break; }
  case 'get': if (!db[input]) missing(); process.stdout.write(JSON.stringify(db[input])); break;
  case 'erase': if (!db[input]) missing(); delete db[input]; fs.writeFileSync(file, JSON.stringify(db)); break;
  default: process.exit(2);
}
`,
    { mode: 0o755 },
  );
  return path;
}
