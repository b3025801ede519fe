#!/usr/bin/env node
// The bin stays a committed JS file so pnpm can link it before the build has produced dist/.
await import('../dist/main.js')
