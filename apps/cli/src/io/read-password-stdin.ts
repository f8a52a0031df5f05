import { ProvisioningError } from '@provisioning/schemas';

/** Everything on stdin, without the final line break `echo` adds. */
export async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > 64 * 1024) {
      throw new ProvisioningError('PASSWORD_TOO_LONG', 'the password on stdin is longer than 64 KiB', {
        kind: 'usage',
        hint: 'pipe only the password or token into --password-stdin',
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
