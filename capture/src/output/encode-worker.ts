import { parentPort } from 'node:worker_threads';
import type { EncodeRequest, EncodeReply } from './encode-worker-pool';
import { encodeSpooledCall } from './spooled-call-encoder';

// A worker thread of the encode pool: encodes one finished call at a time from its spool folder,
// so the service's own thread keeps reading packets while calls are encoded.

const port = parentPort;
if (!port) throw new Error('encode-worker runs as a worker thread');

port.on('message', (request: EncodeRequest) => {
  encodeSpooledCall(request.callDir, request.opus).then(
    (encoding) => port.postMessage({ id: request.id, encoding } satisfies EncodeReply),
    (error: unknown) =>
      port.postMessage({ id: request.id, error: String((error as Error)?.message ?? error) } satisfies EncodeReply),
  );
});
