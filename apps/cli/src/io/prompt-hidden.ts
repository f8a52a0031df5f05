import { ProvisioningError } from '@provisioning/schemas';

/** Read a line from the terminal in raw mode without echoing it. */
export function promptHidden(question: string, cancelled = 'login cancelled'): Promise<string> {
  const stdin = process.stdin;
  // echo off before the prompt shows: whatever is typed after seeing it must not appear
  stdin.setRawMode(true);
  process.stderr.write(question);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') {
          return done(
            new ProvisioningError('LOGIN_CANCELLED', cancelled, {
              kind: 'usage',
              hint: 'run it again',
            }),
          );
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
