import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { createScanner } from './create-scanner.js'
import type { Finding } from './index.js'

const RULES = [fileURLToPath(new URL('./fixtures/rules', import.meta.url))]
const EOF_LINE = 'time="2024-05-02T10:11:12.123Z" level=error msg="response completed with error" err.code=unknown err.detail="unexpected EOF" err.message="unknown error"'
const at = (hour: number): string => EOF_LINE.replace('T10:', `T${String(hour).padStart(2, '0')}:`)

describe('createScanner', () => {
  test('lines in (objects, strings, bytes), findings out, summary at the end', async () => {
    const scanner = createScanner({ rules: RULES })
    const findings: Finding[] = []
    scanner.on('data', (finding: Finding) => findings.push(finding))
    scanner.writeLine(at(1), { file: 'registry/current' })
    scanner.write({ line: at(2), file: 'other.log', source: 'registry' })
    scanner.write(Buffer.from(`${at(3)}\n`))
    let written = false
    scanner.write(at(6), { file: 'pushed.log' }, () => (written = true))
    scanner.write(at(9), 'utf8')
    scanner.end()
    await once(scanner, 'end')
    expect(findings.map((finding) => [finding.file, finding.line])).toEqual([
      ['registry/current', 1],
      ['other.log', 1],
      ['-', 1],
      // Both were held until the end (a record may continue on the next line); inputs flush in opening order.
      ['-', 2],
      ['pushed.log', 1],
    ])
    expect(written).toBe(true)
    expect(scanner.summary()).toMatchObject({ findings: 5, lines: { read: 5, parsed: 5 } })
  })

  test('a finding surfaces within 50 ms of its line while the stream stays open', async () => {
    const scanner = createScanner({ rules: RULES })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const written = performance.now()
    const arrived = once(scanner, 'data')
    scanner.write(Buffer.from(`${EOF_LINE}\n`))
    await arrived
    expect(performance.now() - written).toBeLessThan(50)
    scanner.destroy()
  })

  test('backpressure: writes wait while nobody reads findings', async () => {
    const scanner = createScanner({ rules: RULES })
    scanner.pause()
    let accepted = 0
    for (let hour = 0; hour < 24 * 40; hour++) {
      if (!scanner.write({ line: at(hour % 24).replace('2024-05-02', `2024-05-${String(1 + Math.floor(hour / 24)).padStart(2, '0')}`) })) break
      accepted++
    }
    expect(accepted).toBeLessThan(24 * 40)
    const findings: Finding[] = []
    scanner.on('data', (finding: Finding) => findings.push(finding))
    scanner.resume()
    scanner.end()
    await once(scanner, 'end')
    expect(findings.length).toBeGreaterThan(accepted)
  })

  test('a bad chunk type errors the stream', async () => {
    const scanner = createScanner({ rules: RULES })
    scanner.write(42)
    const [error] = (await once(scanner, 'error')) as [Error]
    expect(error.message).toContain('write a Buffer')
  })

  test('an invalid rule directory errors the stream with the RuleFileError', async () => {
    const scanner = createScanner({ rules: ['/nonexistent/rules'] })
    const [error] = (await once(scanner, 'error')) as [Error]
    expect(error.name).toBe('RuleFileError')
  })
})
