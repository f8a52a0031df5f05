/**
 * The intent of a `dep rollback` in flight, `.provisioning/rollback.json`: which generation it
 * switches to and the config text it writes after the switch. If the run dies, the next run
 * finishes it when the switch happened (lockfile and config follow the installed tree), or drops
 * it when not (nothing the user sees had changed).
 */
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '@provisioning/schemas';
import { rollbackMarkerPath } from './state-paths.js';

export interface RollbackIntent {
  /** Directory name of the target generation. */
  generation: string;
  /** The config file and the text it gets once the switch is done (unset: the config stays). */
  configFile?: string;
  config?: string;
}

export async function writeRollbackIntent(workspaceRoot: string, intent: RollbackIntent): Promise<void> {
  await writeFileAtomic(rollbackMarkerPath(workspaceRoot), JSON.stringify(intent));
}

export async function readRollbackIntent(workspaceRoot: string): Promise<RollbackIntent | undefined> {
  try {
    const value = JSON.parse(await readFile(rollbackMarkerPath(workspaceRoot), 'utf8')) as RollbackIntent;
    return typeof value.generation === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function clearRollbackIntent(workspaceRoot: string): Promise<void> {
  await rm(rollbackMarkerPath(workspaceRoot), { force: true });
}

/** Write the intent's config text when the file does not hold it yet; true when it wrote. */
export async function applyRollbackConfig(intent: RollbackIntent): Promise<boolean> {
  if (intent.configFile === undefined || intent.config === undefined) return false;
  const onDisk = await readFile(intent.configFile, 'utf8').catch(() => undefined);
  if (onDisk === intent.config) return false;
  await writeFileAtomic(intent.configFile, intent.config);
  return true;
}
