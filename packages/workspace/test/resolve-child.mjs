// Child process for crash and concurrency tests: runs resolveWorkspace from the built package.
// argv[2] = JSON settings, argv[3] = JSON options. Prints "done <installed>" or "error <code>".
import { resolveWorkspace } from '../dist/index.js';

const settings = JSON.parse(process.argv[2]);
const options = JSON.parse(process.argv[3] ?? '{}');
try {
  const result = await resolveWorkspace({ settings, coreVersion: '3.5.0', ...options });
  process.stdout.write(`done ${result.installed}\n`);
} catch (error) {
  process.stdout.write(`error ${error.code ?? error.message}\n`);
  process.exitCode = 1;
}
