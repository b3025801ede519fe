// The timestamp shapes of the logs the corpus imitates (formats-registry.md §1.1 and §4,
// formats-nginx-rails-docker.md §1.2, §1.3, §2.1). All UTC. The date part is cached per second because a
// generator writes thousands of lines per simulated second and Date formatting dominates otherwise.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`)

interface SecondParts {
  second: number
  /** `2024-05-02` */
  date: string
  /** `10:11:12` */
  clock: string
  day: string
  month: string
  year: string
}

let cached: SecondParts = { second: -1, date: '', clock: '', day: '', month: '', year: '' }

function partsOf(ms: number): SecondParts {
  const second = Math.floor(ms / 1000)
  if (second === cached.second) return cached
  const d = new Date(second * 1000)
  const year = `${d.getUTCFullYear()}`
  const month = pad2(d.getUTCMonth() + 1)
  const day = pad2(d.getUTCDate())
  cached = {
    second,
    date: `${year}-${month}-${day}`,
    clock: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`,
    day,
    month: MONTHS[d.getUTCMonth()] ?? 'Jan',
    year,
  }
  return cached
}

/** svlogd `-tt` prefix value: `2024-05-02_10:11:12.12345`. */
export function svlogdTime(ms: number): string {
  const p = partsOf(ms)
  return `${p.date}_${p.clock}.${pad3(ms % 1000)}${pad2((ms * 7) % 100)}`
}

/** ISO-8601 with milliseconds: `2024-05-02T10:11:12.123Z` (registry ≥ v3.11, Rails JSON). */
export function isoTime(ms: number): string {
  const p = partsOf(ms)
  return `${p.date}T${p.clock}.${pad3(ms % 1000)}Z`
}

/** CRI / `docker logs -t`: nanoseconds. */
export function criTime(ms: number): string {
  const p = partsOf(ms)
  return `${p.date}T${p.clock}.${pad3(ms % 1000)}${pad3((ms * 7) % 1000)}${pad3((ms * 13) % 1000)}Z`
}

/** NGINX `$time_local`: `02/May/2024:10:15:01 +0000`. */
export function nginxTime(ms: number): string {
  const p = partsOf(ms)
  return `${p.day}/${p.month}/${p.year}:${p.clock} +0000`
}

/** NGINX error log: `2024/05/02 10:15:01`. */
export function nginxErrorTime(ms: number): string {
  const p = partsOf(ms)
  return `${p.date.replaceAll('-', '/')} ${p.clock}`
}

/** Rails production.log `Started … at 2024-05-02 10:15:01 +0000`, and Go `time.Time` values. */
export function railsTime(ms: number): string {
  const p = partsOf(ms)
  return `${p.date} ${p.clock} +0000`
}
