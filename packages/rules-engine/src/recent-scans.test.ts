import { describe, expect, test } from 'vitest'
import { createRecentScans } from './recent-scans.js'

function recall(scans: ReturnType<typeof createRecentScans>, text: string): number[] | undefined {
  const hits: number[] = []
  return scans.recall(text, (id) => hits.push(id)) ? hits : undefined
}

describe('createRecentScans', () => {
  test('recalls remembered texts in order, skipping the ones never asked for', () => {
    const scans = createRecentScans()
    scans.remember('one', [1])
    scans.remember('two', [2, 3])
    scans.remember('three', [])
    expect(recall(scans, 'two')).toEqual([2, 3])
    expect(recall(scans, 'one')).toBeUndefined()
    expect(recall(scans, 'three')).toEqual([])
    expect(recall(scans, 'three')).toBeUndefined()
  })

  test('an equal text built separately is recalled (hits depend on the text only)', () => {
    const scans = createRecentScans()
    scans.remember(['a', 'b'].join(' '), [7])
    expect(recall(scans, 'a b')).toEqual([7])
  })

  test('a text far behind the front is scanned again rather than searched for', () => {
    const scans = createRecentScans()
    for (let index = 0; index < 100; index++) scans.remember(`line ${index}`, [index])
    expect(recall(scans, 'line 99')).toBeUndefined()
    expect(recall(scans, 'line 5')).toEqual([5])
    expect(recall(scans, 'line 30')).toEqual([30])
  })

  test('keeps a bounded amount of text', () => {
    const scans = createRecentScans()
    const long = 'x'.repeat(300_000)
    for (let index = 0; index < 4; index++) scans.remember(`${index}${long}`, [index])
    expect(recall(scans, `0${long}`)).toBeUndefined()
    expect(recall(scans, `3${long}`)).toEqual([3])
  })
})
