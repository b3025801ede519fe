// Live inputs (stdin, caller streams, followed files) are read side by side, and their silence matters: after
// a short quiet spell the pipeline flushes held records and lets correlation time run, so a finding surfaces
// within tens of milliseconds of its last line instead of waiting for the next one.
import type { InputChunk, InputReader } from './read-input.js'

/** What the merged reading yields. */
export type LiveItem =
  | { kind: 'chunk'; reader: InputReader; chunk: InputChunk }
  | { kind: 'done'; reader: InputReader }
  | { kind: 'error'; reader: InputReader; error: unknown }
  | { kind: 'idle' }

export interface LiveTiming {
  /** Quiet time after data before the first `idle`. */
  idleMs: number
  /** While quiet, `idle` repeats this often (correlation windows may close with no new line). */
  tickMs: number
}

type Settled = { index: number; result: IteratorResult<InputChunk> } | { index: number; error: unknown }

function cancellableSleep(ms: number): { promise: Promise<'idle'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined
  const promise = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), ms)))
  return { promise, cancel: () => clearTimeout(timer) }
}

/**
 * Reads every reader concurrently until all are done or `signal` aborts (then it stops without waiting for
 * pending reads: a quiet pipe may never answer). Items of one reader keep their order.
 */
export async function* mergeLiveInputs(readers: readonly InputReader[], timing: LiveTiming, signal: AbortSignal): AsyncGenerator<LiveItem> {
  const iterators = readers.map((reader) => reader.chunks[Symbol.asyncIterator]())
  const pending = new Map<number, Promise<Settled>>()
  const pull = (index: number): void => {
    const iterator = iterators[index]
    if (iterator === undefined) return
    pending.set(
      index,
      iterator.next().then(
        (result) => ({ index, result }),
        (error: unknown) => ({ index, error }),
      ),
    )
  }
  iterators.forEach((_, index) => pull(index))
  const aborted = new Promise<'abort'>((resolve) => {
    if (signal.aborted) resolve('abort')
    else signal.addEventListener('abort', () => resolve('abort'), { once: true })
  })
  let quiet = true
  while (pending.size > 0) {
    const sleep = cancellableSleep(quiet ? timing.tickMs : timing.idleMs)
    const winner = await Promise.race([aborted, sleep.promise, ...pending.values()])
    sleep.cancel()
    if (winner === 'abort') return
    if (winner === 'idle') {
      quiet = true
      yield { kind: 'idle' }
      continue
    }
    quiet = false
    pending.delete(winner.index)
    const reader = readers[winner.index]
    if (reader === undefined) continue
    if ('error' in winner) yield { kind: 'error', reader, error: winner.error }
    else if (winner.result.done === true) yield { kind: 'done', reader }
    else {
      yield { kind: 'chunk', reader, chunk: winner.result.value }
      pull(winner.index)
    }
  }
}
