import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isProvisioningError, ProvisioningError } from './errors.js';
import { asFileSystemError } from './file-system-error.js';

const errno = (code: string, path?: string) =>
  Object.assign(new Error(`${code}: failed${path ? `, open '${path}'` : ', write'}`), {
    code,
    ...(path ? { path } : {}),
  });

describe('asFileSystemError', () => {
  it('turns a real ENOSPC (/dev/full) into DISK_FULL naming the path', async () => {
    const real = await writeFile('/dev/full', 'x').catch((error: unknown) => error);
    // a failed write carries no path, only the open did: the caller says where
    expect((real as NodeJS.ErrnoException).path).toBeUndefined();
    const mapped = asFileSystemError(real, '/dev/full') as ProvisioningError;
    expect(isProvisioningError(mapped)).toBe(true);
    expect(mapped.code).toBe('DISK_FULL');
    expect(mapped.message).toBe('no space left on the device holding /dev/full');
    expect(mapped.exitCode).toBe(1);
    expect(mapped.details).toMatchObject({ errno: 'ENOSPC', path: '/dev/full' });
  });

  it.each([
    ['EDQUOT', 'DISK_FULL', /disk quota exceeded on \/srv\/x/],
    ['EACCES', 'PERMISSION_DENIED', /permission denied on \/srv\/x/],
    ['EPERM', 'PERMISSION_DENIED', /operation not permitted on \/srv\/x/],
    ['EROFS', 'READ_ONLY_FILE_SYSTEM', /read-only file system at \/srv\/x/],
  ])('%s → %s', (code, expected, message) => {
    const mapped = asFileSystemError(errno(code, '/srv/x')) as ProvisioningError;
    expect(mapped.code).toBe(expected);
    expect(mapped.message).toMatch(message);
    expect(mapped.hint).toMatch(/PROVISIONING_HOME|space/);
  });

  it('names the given place when the error carries only a file descriptor', () => {
    const mapped = asFileSystemError(errno('ENOSPC'), '/var/lib/storage') as ProvisioningError;
    expect(mapped.message).toBe('no space left on the device holding /var/lib/storage');
    const bare = asFileSystemError(errno('ENOSPC')) as ProvisioningError;
    expect(bare.message).toMatch(/a file this command writes \(ENOSPC\)/);
  });

  it('looks through causes and leaves every other error alone', () => {
    const wrapped = new Error('copy failed', { cause: errno('EROFS', '/ro') });
    expect((asFileSystemError(wrapped) as ProvisioningError).code).toBe('READ_ONLY_FILE_SYSTEM');
    const other = errno('ENOENT', '/x');
    expect(asFileSystemError(other)).toBe(other);
    const ours = new ProvisioningError('COMMAND_FAILED', 'already explained');
    expect(asFileSystemError(ours)).toBe(ours);
  });
});
