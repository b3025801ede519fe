// When the pool pays: below ~64 MB a scan is over before threads have started and compiled the rules.
import { availableParallelism } from 'node:os'

/** Inputs smaller than this are scanned on the calling thread. */
export const POOL_MIN_BYTES = 64 * 1024 * 1024

/**
 * Worker threads for a scan of `inputBytes` (0 = in-thread): one per core (up to 8) for large inputs.
 * `requested` (`--workers N`) wins when given.
 */
export function chooseWorkerCount(inputBytes: number, requested?: number, cores: number = availableParallelism()): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested))
  if (inputBytes < POOL_MIN_BYTES) return 0
  return Math.max(1, Math.min(8, cores))
}
