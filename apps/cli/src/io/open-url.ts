import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The desktop's URL opener (xdg-open on Linux, open on macOS), when one is on PATH. */
export function urlOpener(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = process.platform === 'darwin' ? 'open' : 'xdg-open';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Open a URL in the browser, detached; a failing opener is not an error (the URL is printed anyway). */
export function openUrl(opener: string, url: string): void {
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
