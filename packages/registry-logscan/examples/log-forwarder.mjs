#!/usr/bin/env node
// Embedding registry-logscan in a log forwarder: every line read from stdin is forwarded unchanged to stdout
// (stand-in for your shipper's output), and also written to a scanner; each finding is shipped as one JSON
// line to stderr (stand-in for an alerting endpoint) about 20 ms after the line that completed it.
//
//   tail -F /var/log/gitlab/registry/current | node log-forwarder.mjs > forwarded.log 2> alerts.ndjson
import { createInterface } from 'node:readline'
import { once } from 'node:events'
import { createScanner } from 'registry-logscan'

const file = process.argv[2] ?? '-'
const scanner = createScanner({ only: process.env.ONLY_RULES?.split(',') })

scanner.on('data', (finding) => {
  process.stderr.write(`${JSON.stringify({ rule: finding.rule, severity: finding.severity, file: finding.file, line: finding.line, message: finding.message })}\n`)
})
scanner.on('error', (error) => {
  process.stderr.write(`scanner: ${error.message}\n`)
  process.exitCode = 2
})

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  process.stdout.write(`${line}\n`)
  // Backpressure: when the scanner's buffer is full, wait for it before reading on.
  if (!scanner.writeLine(line, { file })) await once(scanner, 'drain')
}
scanner.end()
await once(scanner, 'end')
const { lines } = scanner.summary()
process.stderr.write(`${JSON.stringify({ msg: 'forwarder done', lines: lines.read, parsed: lines.parsed })}\n`)
