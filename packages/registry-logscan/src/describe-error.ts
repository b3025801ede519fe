// Reads the stable code and the message out of whatever a file system or zlib call threw, for `FailedInput`.

/** The Node error code (`ENOENT`, `EACCES`, `Z_BUF_ERROR`, …), or `EIO` when the error carries none. */
export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'EIO'
}

/** The error's message without a stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
