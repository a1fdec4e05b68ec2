// A TCP port on 127.0.0.1 that was free a moment ago (taken from the OS, then released): for servers a test or
// benchmark starts on its own ports, and for a port nothing listens on.
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('the OS gave no TCP port');
  return address.port;
}
