import { readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { ProvisioningError } from '@provisioning/schemas';

/** An absent target or an empty directory may be replaced; anything else only with `overwrite`. */
export async function assertTargetReplaceable(target: string, overwrite: boolean): Promise<void> {
  const existing = await stat(target).catch(() => undefined);
  if (!existing || overwrite) return;
  if (existing.isDirectory() && (await readdir(target)).length === 0) return;
  throw new ProvisioningError('TARGET_EXISTS', `${target} already exists and is not empty`, {
    kind: 'input',
    hint: 'remove it first, or pass overwrite to replace it atomically',
    details: { dir: target },
  });
}

/** Renames the verified staging tree to `target`; an existing tree survives until the new one is in place. */
export async function moveIntoPlace(staging: string, target: string, overwrite: boolean): Promise<void> {
  await assertTargetReplaceable(target, overwrite);
  const existing = await stat(target).catch(() => undefined);
  if (!existing) {
    await rename(staging, target);
    return;
  }
  if (existing.isDirectory() && (await readdir(target)).length === 0) {
    await rmdir(target);
    await rename(staging, target);
    return;
  }
  // Swap: the old tree survives until the new one is in place.
  const backup = `${staging}.previous`;
  await rename(target, backup);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(backup, target);
    throw error;
  }
  await rm(backup, { recursive: true, force: true });
}
