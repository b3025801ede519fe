// Finding many literals in one pass (Aho–Corasick): the prefilter and the candidate-rule lookup scan a
// record's text once whatever the number of rules, so matching cost grows with the rules that *might*
// match, not with the catalogue. Case-insensitive literals live in a second automaton that reads the text
// with ASCII letters folded (plus the two non-ASCII characters whose lower case is ASCII: K→k, İ→i, so
// whatever `toLowerCase()` compares equal is found too).
import type { Literal } from './required-literals.js'

/** A literal with the sources (bit mask) and the rule (id) that require it. */
export interface LiteralEntry {
  literal: Literal
  mask: number
  id: number
}

export interface LiteralIndex {
  /** Whether a literal tagged with any bit of `mask` occurs in `text`. */
  any(text: string, mask: number): boolean
  /** Calls `found(id)` for the id of every literal occurring in `text` (an id may be reported more than once). */
  collect(text: string, found: (id: number) => void): void
}

export function createLiteralIndex(entries: readonly LiteralEntry[]): LiteralIndex {
  const exact = new Automaton(false)
  const folded = new Automaton(true)
  for (const { literal, mask, id } of entries) (literal.ignoreCase ? folded : exact).add(literal.text, mask, id)
  const automata = [exact, folded].filter((automaton) => automaton.build())
  return {
    any: (text, mask) => automata.some((automaton) => automaton.any(text, mask)),
    collect(text, found) {
      for (const automaton of automata) automaton.collect(text, found)
    },
  }
}

function foldChar(code: number): number {
  if (code >= 65 && code <= 90) return code + 32
  if (code === 0x212a) return 107
  if (code === 0x130) return 105
  return code
}

class Automaton {
  private readonly next: Map<number, number>[] = [new Map<number, number>()]
  private readonly masks: number[] = [0]
  private readonly ids: number[][] = [[]]
  private fail = new Int32Array(1)
  /** Root transitions for ASCII, the hot path: most characters of a line start no literal. */
  private readonly root = new Int32Array(128)

  constructor(private readonly fold: boolean) {}

  add(text: string, mask: number, id: number): void {
    let state = 0
    for (let index = 0; index < text.length; index++) {
      const code = this.fold ? foldChar(text.charCodeAt(index)) : text.charCodeAt(index)
      const transitions = this.next[state] as Map<number, number>
      let target = transitions.get(code)
      if (target === undefined) {
        target = this.next.length
        this.next.push(new Map())
        this.masks.push(0)
        this.ids.push([])
        transitions.set(code, target)
      }
      state = target
    }
    this.masks[state] = (this.masks[state] ?? 0) | mask
    const ids = this.ids[state] as number[]
    if (!ids.includes(id)) ids.push(id)
  }

  /** Computes failure links (breadth first) and merges each state's outputs with its fallback's. False when empty. */
  build(): boolean {
    this.fail = new Int32Array(this.next.length)
    const queue: number[] = []
    for (const [code, target] of this.next[0] as Map<number, number>) {
      if (code < 128) this.root[code] = target
      queue.push(target)
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number
      for (const [code, target] of this.next[state] as Map<number, number>) {
        let fallback = this.fail[state] as number
        while (fallback !== 0 && !(this.next[fallback] as Map<number, number>).has(code)) fallback = this.fail[fallback] as number
        const link = (this.next[fallback] as Map<number, number>).get(code)
        this.fail[target] = link === undefined || link === target ? 0 : link
        const inherited = this.fail[target] ?? 0
        this.masks[target] = (this.masks[target] ?? 0) | (this.masks[inherited] ?? 0)
        const ids = this.ids[target] as number[]
        for (const id of this.ids[inherited] as number[]) if (!ids.includes(id)) ids.push(id)
        queue.push(target)
      }
    }
    return this.next.length > 1
  }

  any(text: string, mask: number): boolean {
    let state = 0
    for (let index = 0; index < text.length; index++) {
      state = this.step(state, text.charCodeAt(index))
      if (((this.masks[state] as number) & mask) !== 0) return true
    }
    return false
  }

  collect(text: string, found: (id: number) => void): void {
    let state = 0
    for (let index = 0; index < text.length; index++) {
      state = this.step(state, text.charCodeAt(index))
      const ids = this.ids[state] as number[]
      for (let at = 0; at < ids.length; at++) found(ids[at] as number)
    }
  }

  private step(from: number, raw: number): number {
    const code = this.fold ? foldChar(raw) : raw
    let state = from
    while (state !== 0) {
      const target = (this.next[state] as Map<number, number>).get(code)
      if (target !== undefined) return target
      state = this.fail[state] as number
    }
    if (code < 128) return this.root[code] as number
    return (this.next[0] as Map<number, number>).get(code) ?? 0
  }
}
