// A binary min-heap of deadlines, so checking "has any `missing` deadline passed?" costs O(1) per event
// and firing costs O(log n), whatever the number of groups waiting.

export interface Deadline<T> {
  at: number
  item: T
}

export class DeadlineQueue<T> {
  private readonly heap: Deadline<T>[] = []

  get size(): number {
    return this.heap.length
  }

  push(at: number, item: T): void {
    const heap = this.heap
    heap.push({ at, item })
    let index = heap.length - 1
    while (index > 0) {
      const parent = (index - 1) >> 1
      if ((heap[parent] as Deadline<T>).at <= at) break
      ;[heap[parent], heap[index]] = [heap[index] as Deadline<T>, heap[parent] as Deadline<T>]
      index = parent
    }
  }

  /** Removes and returns the earliest deadline if it is before `now`. */
  popBefore(now: number): Deadline<T> | undefined {
    const heap = this.heap
    const top = heap[0]
    if (top === undefined || !(top.at < now)) return undefined
    const last = heap.pop() as Deadline<T>
    if (heap.length > 0) {
      heap[0] = last
      let index = 0
      for (;;) {
        const left = 2 * index + 1
        const right = left + 1
        let smallest = index
        if (left < heap.length && (heap[left] as Deadline<T>).at < (heap[smallest] as Deadline<T>).at) smallest = left
        if (right < heap.length && (heap[right] as Deadline<T>).at < (heap[smallest] as Deadline<T>).at) smallest = right
        if (smallest === index) break
        ;[heap[smallest], heap[index]] = [heap[index] as Deadline<T>, heap[smallest] as Deadline<T>]
        index = smallest
      }
    }
    return top
  }

  clear(): void {
    this.heap.length = 0
  }
}
