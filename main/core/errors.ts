/** Errors the core reports to users: a contract error code and a clear sentence. */
import type { ErrorCode, ErrorInfo } from '../../preload/contract.ts';

export class CoreError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CoreError';
    this.code = code;
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof CoreError) return { code: err.code, message: err.message };
  return { code: 'internal', message: 'internal error' };
}
