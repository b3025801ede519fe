// Deterministic randomness for the corpus: a seeded PRNG and the value pools lines are built from. Pools are
// drawn once up front (digests, upload ids, clients…) so a line costs a few array lookups, not fresh hex, and
// so the corpus has the key cardinality of a real install (thousands of repositories, tens of thousands of blobs).

/** mulberry32: tiny, fast and good enough for test data; the same seed always gives the same corpus. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    hex: (length) => {
      let out = ''
      while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0')
      return out.slice(0, length)
    },
  }
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  hex(length: number): string
}

const GROUPS = ['platform', 'data', 'web', 'infra', 'mobile', 'ml', 'security', 'payments', 'search', 'qa', 'ops', 'core']
const PROJECTS = [
  'api', 'frontend', 'backend', 'worker', 'gateway', 'billing', 'auth', 'docs', 'portal', 'ingest', 'etl', 'scheduler',
  'notifier', 'cache', 'proxy', 'exporter', 'runner-images', 'base-images', 'tools', 'cli', 'sdk', 'console', 'reports',
]
const IMAGES = ['', '', '', 'app', 'builder', 'ci', 'test', 'nginx', 'postgres-tools', 'node', 'python', 'debian-slim', 'release']
const TAGS = ['latest', 'main', 'develop', 'stable', 'v1.0.0', 'v1.2.3', 'v2.0.1', 'v3.4.11', 'nightly', 'release-2024.05', 'cache']
const DOCKER_VERSIONS = ['20.10.12', '23.0.6', '24.0.7', '25.0.3', '26.1.4', '27.3.1']
const KERNELS = ['5.4.0-200-generic', '5.15.0-105-generic', '6.1.0-18-amd64', '6.8.0-45-generic']

/** The value pools every generated line draws from. */
export interface Pools {
  repositories: string[]
  digests: string[]
  uploadIds: string[]
  correlationIds: string[]
  uploadStates: string[]
  clients: string[]
  users: string[]
  tags: readonly string[]
  dockerAgents: string[]
}

/** Builds the pools; `scale` (≥ 1) grows cardinality with corpus size. */
export function createPools(random: Random, scale: number): Pools {
  const repositories = new Set<string>()
  const wanted = Math.min(4000, 400 * scale)
  while (repositories.size < wanted) {
    const image = random.pick(IMAGES)
    const base = `${random.pick(GROUPS)}/${random.pick(PROJECTS)}${random.chance(0.3) ? `-${random.int(1, 40)}` : ''}`
    repositories.add(image === '' ? base : `${base}/${image}`)
  }
  // Near-misses for debug-endpoint-exposed: repositories named `debug` are normal.
  repositories.add('debug')
  repositories.add('ops/debug')
  const count = (n: number): number => Math.min(n * 10, n * scale)
  return {
    repositories: [...repositories],
    digests: Array.from({ length: count(4000) }, () => `sha256:${random.hex(64)}`),
    uploadIds: Array.from({ length: count(6000) }, () => {
      const h = random.hex(32)
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
    }),
    correlationIds: Array.from({ length: count(6000) }, () => `01${random.hex(24).toUpperCase()}`),
    uploadStates: Array.from({ length: 2000 }, () => base64UrlNoise(random, 186)),
    clients: Array.from({ length: 1500 }, () => `${random.pick(['10.20', '172.18', '192.168'])}.${random.int(0, 255)}.${random.int(1, 254)}`),
    users: Array.from({ length: 600 }, (_, i) => `user${i}`),
    tags: TAGS,
    dockerAgents: DOCKER_VERSIONS.flatMap((v) =>
      KERNELS.map((k) => `docker/${v} go/go1.21.5 git-commit/${random.hex(7)} kernel/${k} os/linux arch/amd64 UpstreamClient(Docker-Client/${v} \\(linux\\))`),
    ),
  }
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function base64UrlNoise(random: Random, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += B64URL[Math.floor(random.next() * 64)]
  return `${out}%3D%3D`
}
