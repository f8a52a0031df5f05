import { ProvisioningError } from '@provisioning/schemas';

const TAMPER_HINT =
  'the artifact is corrupt or was tampered with; do not use it — pull it again or ask its publisher';

export function unsafeArchive(entry: string, reason: string): ProvisioningError {
  return new ProvisioningError('UNSAFE_ARCHIVE', `unsafe archive entry "${printable(entry)}": ${reason}`, {
    kind: 'input',
    hint: TAMPER_HINT,
    details: { entry: printable(entry) },
  });
}

export function archiveLimit(entry: string | undefined, reason: string): ProvisioningError {
  const subject = entry === undefined ? 'archive' : `archive entry "${printable(entry)}"`;
  return new ProvisioningError('ARCHIVE_LIMIT', `${subject} exceeds a safety limit: ${reason}`, {
    kind: 'input',
    hint: 'extensions are small; if this one is legitimately larger, raise the limit explicitly',
    details: entry === undefined ? {} : { entry: printable(entry) },
  });
}

export function digestMismatch(subject: string, expected: string, actual: string): ProvisioningError {
  return new ProvisioningError('DIGEST_MISMATCH', `${subject}: expected ${expected}, got ${actual}`, {
    hint: TAMPER_HINT,
    details: { expected, actual },
  });
}

/** Entry names come from the archive: escape control characters before they reach a terminal. */
export function printable(name: string): string {
  return JSON.stringify(name.slice(0, 300)).slice(1, -1);
}
