// Puts rotated log files in the order their lines were written, so correlation windows see time move forward:
// svlogd (Omnibus `runit`) keeps `@<TAI64N>.s|.u` files beside `current`; logrotate keeps `x.log.2.gz`,
// `x.log.1`, `x.log` (or `x.log-20240501.gz` with `dateext`). svlogd: https://smarden.org/runit/svlogd.8

// svlogd names a finished file `@` + 24 hex digits of TAI64N + `.s` (processed) or `.u` (unprocessed).
const TAI64N_FILE = /^@[0-9a-f]{24}\.[su]$/
// logrotate suffixes: a generation number or a dateext date, each optionally followed by `.gz`.
const ROTATION_NUMBER = String.raw`\.(?<generation>\d{1,4})`
const ROTATION_DATE = String.raw`-(?<date>\d{8}(?:\d{2})?)`
const ROTATED = new RegExp(`^(?<base>.+?)(?:${ROTATION_NUMBER}|${ROTATION_DATE})(?:\\.gz)?$`)
const GZIPPED = /^(?<base>.+)\.gz$/

/** Where one file sits in its rotation family: `family` groups siblings, `age` sorts them oldest first. */
interface RotationPlace {
  family: string
  /** Sort key, oldest first: [class, value] where class 0 = rotated away, 1 = the live file. */
  age: readonly [number, number | string]
}

function splitPath(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? { dir: '', name: path } : { dir: path.slice(0, slash + 1), name: path.slice(slash + 1) }
}

function rotationPlace(path: string): RotationPlace {
  const { dir, name } = splitPath(path)
  if (name === 'current') return { family: `${dir}\0svlogd`, age: [1, 0] }
  if (TAI64N_FILE.test(name)) return { family: `${dir}\0svlogd`, age: [0, name] }
  const rotated = ROTATED.exec(name)?.groups
  if (rotated?.base !== undefined) {
    // Higher generation = older; negate so that ascending order is oldest first. Dates sort as written.
    const age = rotated.generation !== undefined ? -Number(rotated.generation) : rotated.date ?? ''
    return { family: dir + rotated.base, age: [0, age] }
  }
  const gzipped = GZIPPED.exec(name)?.groups?.base
  return { family: dir + (gzipped ?? name), age: [1, 0] }
}

function compareAge(a: RotationPlace['age'], b: RotationPlace['age']): number {
  if (a[0] !== b[0]) return a[0] - b[0]
  const [x, y] = [a[1], b[1]]
  if (typeof x === 'number' && typeof y === 'number') return x - y
  // A numbered generation and a dateext file in one family should not happen; order numbers first.
  if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0
}

/**
 * Orders paths so each rotation family reads oldest file first and the live file (`current`, `x.log`) last.
 * Families keep the order of their first member in `paths`; paths outside any family keep their place.
 */
export function orderRotations(paths: readonly string[]): string[] {
  const families = new Map<string, { path: string; place: RotationPlace }[]>()
  for (const path of paths) {
    const place = rotationPlace(path)
    const members = families.get(place.family)
    if (members === undefined) families.set(place.family, [{ path, place }])
    else members.push({ path, place })
  }
  const ordered: string[] = []
  for (const members of families.values()) {
    members.sort((a, b) => compareAge(a.place.age, b.place.age))
    for (const member of members) ordered.push(member.path)
  }
  return ordered
}

/** True for the file of a family that is still being written (`current`, `x.log`): the one `--follow` tails. */
export function isLiveFile(path: string): boolean {
  return rotationPlace(path).age[0] === 1
}
