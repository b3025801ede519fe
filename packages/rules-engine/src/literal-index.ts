// Finding many literals in one pass (Aho–Corasick): the prefilter and the candidate-rule lookup scan a
// record's text once whatever the number of rules, so matching cost grows with the rules that *might*
// match, not with the catalogue.
// The automaton is one DFA over ASCII with letters folded, its transitions in a flat table (no failure links
// to follow while scanning): the scan runs on every character of every record, and a profile of the earlier
// version (a Map per state, failure links walked per character, two automata) spent most of the prefilter
// there. Case-sensitive literals are found folded and confirmed on the original text; case-insensitive ones
// also match the two non-ASCII characters whose lower case is ASCII (K→k, İ→i), so whatever `toLowerCase()`
// compares equal is found. Literals are printable ASCII (required-literals.ts keeps only such pieces).
import type { Literal } from './required-literals.js'

export interface LiteralIndex {
  /** Calls `found(id)`, `id` being the literal's index in the list given, for every occurrence in `text`. */
  scan(text: string, found: (id: number) => void): void
}

const ALPHABET = 128
/** log2(ALPHABET): a state's row starts at `state << ROW_SHIFT`. */
const ROW_SHIFT = 7
/** Characters no literal contains (other non-ASCII, NUL) all step to this code, where every match breaks. */
const DEAD = 0
const KELVIN = 0x212a
const DOTTED_CAPITAL_I = 0x130

/** ASCII with A–Z folded to a–z. */
const FOLD = Uint8Array.from({ length: ALPHABET }, (_, code) => (code >= 65 && code <= 90 ? code + 32 : code))

const CHECK_CASE = 1
const CHECK_DIGITS = 2

export function createLiteralIndex(literals: readonly Literal[]): LiteralIndex {
  const trie: Map<number, number>[] = [new Map<number, number>()]
  const outputs: number[][] = [[]]
  literals.forEach((literal, id) => {
    let state = 0
    for (let index = 0; index < literal.text.length; index++) {
      const code = literal.text.charCodeAt(index)
      const folded = code < ALPHABET ? (FOLD[code] as number) : DEAD
      const transitions = trie[state] as Map<number, number>
      let target = transitions.get(folded)
      if (target === undefined) {
        target = trie.length
        trie.push(new Map<number, number>())
        outputs.push([])
        transitions.set(folded, target)
      }
      state = target
    }
    if (state !== 0) (outputs[state] as number[]).push(id)
  })
  const { table, outStart, outIds } = buildDfa(trie, outputs)
  const checks = Uint8Array.from(literals, (literal) => (literal.ignoreCase ? 0 : CHECK_CASE) | (literal.wholeNumber === true ? CHECK_DIGITS : 0))
  const texts = literals.map((literal) => literal.text)

  /** The checks folding cannot do: exact case, and no digit next to a number token. */
  function confirmed(id: number, text: string, end: number): boolean {
    const check = checks[id] as number
    const literal = texts[id] as string
    const start = end - literal.length + 1
    if ((check & CHECK_CASE) !== 0 && !text.startsWith(literal, start)) return false
    return (check & CHECK_DIGITS) === 0 || (!isDigit(text.charCodeAt(start - 1)) && !isDigit(text.charCodeAt(end + 1)))
  }

  return {
    scan(text, found) {
      if (outIds.length === 0) return
      let state = 0
      for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index)
        state = table[state + (code < ALPHABET ? code : code === KELVIN ? 107 : code === DOTTED_CAPITAL_I ? 105 : DEAD)] as number
        if (state >= 0) continue
        state = -state
        const row = state >> ROW_SHIFT
        const last = outStart[row + 1] as number
        for (let at = outStart[row] as number; at < last; at++) {
          const id = outIds[at] as number
          if (checks[id] === 0 || confirmed(id, text, index)) found(id)
        }
      }
    },
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/**
 * Completes the trie into a DFA, breadth first: a missing transition takes the one of the state's failure
 * link (already complete, being shallower), and a state reports its own literals plus its link's.
 * The table the scan reads is indexed by `row start + character`, folding done by the table (an upper-case
 * column repeats its lower case), and holds row starts, negated for a state that reports literals: one load
 * and one sign test per character.
 */
function buildDfa(trie: readonly Map<number, number>[], outputs: readonly number[][]): { table: Int32Array; outStart: Int32Array; outIds: Int32Array } {
  const next = new Int32Array(trie.length * ALPHABET)
  const fail = new Int32Array(trie.length)
  const reported: number[][] = outputs.map((ids) => [...ids])
  const queue: number[] = []
  for (const [code, target] of trie[0] as Map<number, number>) {
    next[code] = target
    queue.push(target)
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number
    const link = fail[state] as number
    const own = trie[state] as Map<number, number>
    for (let code = 0; code < ALPHABET; code++) {
      const target = own.get(code)
      if (target === undefined) {
        next[state * ALPHABET + code] = next[link * ALPHABET + code] as number
        continue
      }
      next[state * ALPHABET + code] = target
      const targetLink = next[link * ALPHABET + code] as number
      fail[target] = targetLink
      ;(reported[target] as number[]).push(...(reported[targetLink] as number[]))
      queue.push(target)
    }
  }
  const table = new Int32Array(trie.length * ALPHABET)
  for (let state = 0; state < trie.length; state++) {
    for (let code = 0; code < ALPHABET; code++) {
      const target = next[state * ALPHABET + (FOLD[code] as number)] as number
      table[state * ALPHABET + code] = (reported[target] as number[]).length > 0 ? -(target << ROW_SHIFT) : target << ROW_SHIFT
    }
  }
  const outStart = new Int32Array(trie.length + 1)
  const ids: number[] = []
  reported.forEach((list, state) => {
    outStart[state] = ids.length
    ids.push(...list)
  })
  outStart[trie.length] = ids.length
  return { table, outStart, outIds: Int32Array.from(ids) }
}
