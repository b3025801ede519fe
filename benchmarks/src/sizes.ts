// Human byte sizes for flags and tables: `10MB`, `1GB`, `4 GB` (binary multiples, as `ls -h` prints them).

const UNITS = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 } as const

/** `250MB` → 262144000. Throws on anything else (a CLI flag, so a setup error). */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?B)?$/i.exec(text.trim())
  if (match === null) throw new Error(`not a size: ${text} (try 10MB, 1GB)`)
  const unit = (match[2] ?? 'B').toUpperCase() as keyof typeof UNITS
  return Math.round(Number(match[1]) * UNITS[unit])
}

/** 262144000 → `250 MB`. */
export function formatBytes(bytes: number): string {
  const units = Object.entries(UNITS).reverse()
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const value = bytes / size
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`
    }
  }
  return `${bytes} B`
}
