// Per-layer status lines of `docker push` / `docker pull`: `<12-hex id>: <status>[ progress]`.
// TTY captures carry a bar and sizes (`Pushing [==>   ] 9.901 MB/205.7 MB`, newer `4.974MB/1.2GB`);
// CI (non-TTY) prints one line per status change. Sizes are decimal, as docker's go-units HumanSize prints them.
// Source: moby distribution/xfer (upload.go, download.go), pkg/jsonmessage.
import type { DockerEvent } from '../../log-event.js'

export type LayerProgress = Pick<DockerEvent, 'layerId' | 'layerStatus' | 'progressBytes' | 'totalBytes' | 'retryInSeconds'>

const LAYER_ID = String.raw`(?<id>[0-9a-f]{12})`
const LAYER_LINE = new RegExp(`^${LAYER_ID}: (?<status>.*)$`)

/** Statuses docker prints, longest first where one is a prefix of another. */
const STATUSES = [
  'Layer already exists', 'Pulling fs layer', 'Verifying Checksum', 'Download complete', 'Pull complete', 'Already exists',
  'Mounted from', 'Retrying', 'Preparing', 'Waiting', 'Pushing', 'Pushed', 'Downloading', 'Extracting',
]

// A bar of `=`, `>` and spaces, then `<size>[/<size>]`; the unit may follow the number with or without a space.
const SIZE = String.raw`(?<NAME>\d+(?:\.\d+)?) ?(?<NAMEunit>[kKMGTP]?i?B)`
const PROGRESS = new RegExp(
  `^(?:\\[[=> ]*\\] *)?${SIZE.replace(/NAME/g, 'done')}(?:/${SIZE.replace(/NAME/g, 'total')})?`,
)
const RETRY = /^Retrying in (?<seconds>\d+) seconds?/

const UNIT_BYTES: Record<string, number> = {
  B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15,
  KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4,
}

function toBytes(value: string | undefined, unit: string | undefined): number | undefined {
  const multiplier = UNIT_BYTES[unit ?? '']
  if (value === undefined || multiplier === undefined) return undefined
  return Math.round(Number(value) * multiplier)
}

/** Reads a layer status line; `undefined` when `text` is not one. Unknown statuses are kept as written. */
export function parseLayerProgress(text: string): LayerProgress | undefined {
  const m = LAYER_LINE.exec(text)?.groups
  if (m === undefined) return undefined
  const statusText = (m.status ?? '').trimEnd()
  const layerStatus = STATUSES.find((status) => statusText.startsWith(status)) ?? statusText
  const progress: LayerProgress = { layerId: m.id ?? '', layerStatus }
  const rest = statusText.slice(layerStatus.length).trimStart()
  if (layerStatus === 'Retrying') {
    const seconds = RETRY.exec(statusText)?.groups?.seconds
    if (seconds !== undefined) progress.retryInSeconds = Number(seconds)
    return progress
  }
  const sizes = PROGRESS.exec(rest)?.groups
  if (sizes !== undefined) {
    const done = toBytes(sizes.done, sizes.doneunit)
    const total = toBytes(sizes.total, sizes.totalunit)
    if (done !== undefined) progress.progressBytes = done
    if (total !== undefined) progress.totalBytes = total
  }
  return progress
}
