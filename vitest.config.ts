import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))

// Unit tests import sibling packages from source so they need no build; the tests under test/ spawn the
// built CLI (what ships), so `pnpm test` builds first.
export default defineConfig({
  resolve: {
    alias: {
      // Subpath entries first: an alias also matches the imports under its name.
      '@registry-logscan/rules-engine/match': fileURLToPath(new URL('./packages/rules-engine/src/match.ts', import.meta.url)),
      '@registry-logscan/parser': src('parser'),
      '@registry-logscan/rules-engine': src('rules-engine'),
      '@registry-logscan/worker-pool': src('worker-pool'),
      '@registry-logscan/cli': src('cli'),
      'registry-logscan': src('registry-logscan'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'benchmarks/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
