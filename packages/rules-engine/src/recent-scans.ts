// The literal hits of records the prefilter let through, kept until their events reach `matchEvent`: the
// parser prefilters every record of a chunk before the caller matches the chunk's events, so without this
// each record that passes is scanned twice. A hit set depends only on the text, so reusing it for an equal
// text is always right; the memory only saves work, and whatever it misses is scanned again.

export interface RecentScans {
  /** Keeps the hits of `text` (literal ids) for a later `recall`. */
  remember(text: string, hits: readonly number[]): void
  /**
   * If `text` was remembered recently, calls `hit(id)` for each of its hits, forgets it and everything
   * remembered before it, and returns true. Events arrive in record order, so a text is found at or near the
   * front; records that never became events (unparsed) are what it skips.
   */
  recall(text: string, hit: (id: number) => void): boolean
}

/** Entries looked at past the front before a text counts as not remembered (bounds the cost of a miss). */
const SEARCH_AHEAD = 32
/** Characters of text kept alive at most (one parsed slice is far less): past it, older entries are dropped. */
const MAX_KEPT_CHARS = 1 << 20
const MAX_KEPT_TEXTS = 8192

export function createRecentScans(): RecentScans {
  const texts: string[] = []
  /** `hits[ends[i - 1] … ends[i])` (from 0 for the first) are the hits of `texts[i]`. */
  const ends: number[] = []
  const hits: number[] = []
  let head = 0
  let keptChars = 0

  function reset(): void {
    texts.length = 0
    ends.length = 0
    hits.length = 0
    head = 0
    keptChars = 0
  }

  return {
    remember(text, found) {
      if (keptChars + text.length > MAX_KEPT_CHARS || texts.length >= MAX_KEPT_TEXTS) reset()
      for (let at = 0; at < found.length; at++) hits.push(found[at] as number)
      texts.push(text)
      ends.push(hits.length)
      keptChars += text.length
    },
    recall(text, hit) {
      const last = Math.min(texts.length, head + SEARCH_AHEAD)
      for (let entry = head; entry < last; entry++) {
        if (texts[entry] !== text) continue
        const end = ends[entry] as number
        for (let at = entry === 0 ? 0 : (ends[entry - 1] as number); at < end; at++) hit(hits[at] as number)
        head = entry + 1
        if (head === texts.length) reset()
        return true
      }
      return false
    },
  }
}
