// Whether Temporal refused an operation to this worker, as opposed to failing at it. PERMISSION_DENIED is what the
// server's default authorizer ("Request unauthorized.") and Temporal Cloud answer a caller without the right;
// UNIMPLEMENTED is what a server or proxy without the API answers. Which operations a worker may use is found by
// trying them: nothing is configured by hand.
import { isGrpcServiceError } from '@temporalio/client';

const REFUSAL_CODES = new Map([
  [7, 'PERMISSION_DENIED'],
  [12, 'UNIMPLEMENTED'],
] as const);

export type RefusalCode = 'PERMISSION_DENIED' | 'UNIMPLEMENTED';

/** An operation Temporal refused, named as its gRPC method (UpdateTaskQueueConfig). */
export interface Refusal {
  operation: string;
  code: RefusalCode;
}

/** The refusal code of `error` or of one of its causes; null when the error is anything else. */
export function refusalCodeOf(error: unknown): RefusalCode | null {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause)) {
      const code = REFUSAL_CODES.get(cause.code as 7 | 12);
      if (code) return code;
    }
  }
  return null;
}

/** `work`'s result, or the refusal of `operation` when Temporal refuses it; any other failure is thrown. */
export async function unlessRefused<T>(
  operation: string,
  work: () => Promise<T>,
): Promise<{ value: T; refusal: null } | { value: null; refusal: Refusal }> {
  try {
    return { value: await work(), refusal: null };
  } catch (error) {
    const code = refusalCodeOf(error);
    if (code === null) throw error;
    return { value: null, refusal: { operation, code } };
  }
}

export const describeRefusal = (refusal: Refusal) => `${refusal.operation}: ${refusal.code}`;
