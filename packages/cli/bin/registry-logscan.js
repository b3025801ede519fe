#!/bin/sh
// 2>/dev/null; exec node --max-semi-space-size=2 --max-old-space-size=1024 "$0" "$@"
// The line above is for sh, which runs node with heap flags (a JS comment to node); `#!/usr/bin/env -S node …`
// would do the same where env knows -S, which BusyBox (Alpine) and coreutils before 8.30 do not.
// Heap flags, for peak RSS (measured on the benchmark corpus, 2 workers: 310 → 185 MB, no slower):
// - a 2 MB semi-space keeps the main thread's young generation at a few MB instead of V8's default 48 (with
//   workers the main thread only correlates, and that default was a quarter of the scan's peak RSS);
// - V8 lets the old generation grow to 4× its live size between collections when the heap limit is above
//   1 GB, and to ~2× at or below it. The scan's live state is bounded (correlation groups, fold keys), tens of MB.
// The bin stays a committed JS file so pnpm can link it before the build has produced dist/.
await import('../dist/main.js')
