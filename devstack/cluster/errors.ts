/** A problem the operator can fix (a port in use, a database that does not answer): one line, exit 2. */
export class ClusterError extends Error {
  override name = 'ClusterError';
}
