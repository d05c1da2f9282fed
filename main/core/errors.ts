/** Errors the core reports to users: a contract error code and a clear sentence. */
import type { CertificateInfo, ErrorCode, ErrorInfo } from '../../preload/contract.ts';

export class CoreError extends Error {
  readonly code: ErrorCode;
  /** For certificate errors: the certificate the server presented. */
  readonly certificate: CertificateInfo | undefined;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions & { certificate?: CertificateInfo }) {
    super(message, options);
    this.name = 'CoreError';
    this.code = code;
    this.certificate = options?.certificate;
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof CoreError) {
    return { code: err.code, message: err.message, ...(err.certificate ? { certificate: err.certificate } : {}) };
  }
  return { code: 'internal', message: 'internal error' };
}
