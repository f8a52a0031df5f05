import { access } from 'node:fs/promises';

/** True when `path` exists (any kind of entry); false for a missing path or one we cannot reach. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
