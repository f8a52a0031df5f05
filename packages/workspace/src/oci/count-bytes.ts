/** Report how many bytes of a blob went through a stream, for progress bars. */
import { pipeline, type Readable, Transform } from 'node:stream';
import type { CopyProgressEvent, Descriptor } from '@provisioning/oci-client';

export function countBytes(
  stream: Readable,
  descriptor: Descriptor,
  onProgress: ((event: CopyProgressEvent) => void) | undefined,
): Readable {
  if (!onProgress) return stream;
  let transferred = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      transferred += chunk.length;
      onProgress({ type: 'bytes', descriptor, transferred });
      done(null, chunk);
    },
  });
  pipeline(stream, counter, () => undefined); // the consumer of `counter` sees errors
  return counter;
}
