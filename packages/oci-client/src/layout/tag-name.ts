import { isValidTag, ProvisioningError } from '@provisioning/schemas';

export function assertValidTag(tag: string, where: string): void {
  if (!isValidTag(tag)) {
    throw new ProvisioningError(
      'TAG_INVALID',
      `invalid tag ${JSON.stringify(tag.slice(0, 140))} for ${where}`,
      {
        kind: 'input',
        hint: 'tags match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}',
        details: { where },
      },
    );
  }
}
