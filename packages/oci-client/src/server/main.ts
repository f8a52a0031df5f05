/**
 * `node dist/server/main.js --root R --port P [--host H]`: run the built-in registry as its own
 * process (what `oci-registry start` spawns). Prints `listening on http://HOST:PORT` once ready and
 * shuts down cleanly on SIGTERM / SIGINT.
 */
import { parseArgs } from 'node:util';
import { startRegistryServer } from './registry-server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { root: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    strict: true,
  });
  if (
    !values.root ||
    values.port === undefined ||
    !/^\d{1,5}$/.test(values.port) ||
    Number(values.port) > 65535
  ) {
    process.stderr.write('usage: main.js --root DIR --port PORT [--host HOST]\n');
    process.exit(2);
  }
  const server = await startRegistryServer({
    root: values.root,
    port: Number(values.port),
    host: values.host,
  });
  process.stdout.write(`listening on ${server.url}\n`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
