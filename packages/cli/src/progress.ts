// A progress bar on stderr for file scans that run past a second: bytes done / total, rate, ETA. Only on a
// TTY (a redirected stderr gets no bar codes), and stopped before anything else is printed there.
import type { ScanProgress } from 'registry-logscan'

/** Delay before the bar appears: short scans never show one. */
const SHOW_AFTER_MS = 1000
const UPDATE_EVERY_MS = 200

export interface ProgressBar {
  stop(): void
}

/** Starts watching `progress`; returns a handle whose `stop()` removes the bar. No-op when stderr is not a TTY. */
export function startProgress(progress: () => ScanProgress, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (stream.isTTY !== true) return { stop: () => undefined }
  let bar: { stop(): void } | undefined
  let stopped = false
  const show = setTimeout(() => {
    void import('cli-progress').then(({ default: cliProgress }) => {
      const { bytesRead, bytesTotal } = progress()
      if (stopped || bytesTotal === 0) return
      const created = new cliProgress.SingleBar(
        {
          stream,
          format: ' {bar} {percentage}% | {done}/{all} MB | {rate} MB/s | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
      created.start(bytesTotal, bytesRead, { done: '0', all: (bytesTotal / 1e6).toFixed(1), rate: '0' })
      const started = performance.now()
      const timer = setInterval(() => {
        const now = progress()
        const seconds = (performance.now() - started) / 1000
        created.update(now.bytesRead, { done: (now.bytesRead / 1e6).toFixed(1), rate: (now.bytesRead / 1e6 / Math.max(seconds, 0.001)).toFixed(1) })
      }, UPDATE_EVERY_MS)
      timer.unref()
      bar = {
        stop: () => {
          clearInterval(timer)
          created.stop()
        },
      }
    })
  }, SHOW_AFTER_MS)
  show.unref()
  return {
    stop() {
      stopped = true
      clearTimeout(show)
      bar?.stop()
    },
  }
}
