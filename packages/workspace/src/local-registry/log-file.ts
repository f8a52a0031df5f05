import { open } from 'node:fs/promises';

/** The last non-empty line of a log (read from its tail only), trimmed to one short line. */
export async function lastLogLine(path: string, maxBytes = 8192): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer
      .toString('utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('--- '));
    const last = lines.at(-1);
    return last === undefined ? undefined : last.length > 200 ? `${last.slice(0, 200)}…` : last;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
