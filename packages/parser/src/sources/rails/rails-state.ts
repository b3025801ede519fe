// Per-stream state of the Rails parser: the request blocks of production.log that are still open.
// Puma threads interleave blocks and no line carries a request id, so a `Processing`/`Completed` line is
// tied to a `Started` line by a heuristic (below); the state is bounded so a log of unmatched `Started`
// lines cannot grow it.

/** What a `Started` line tells about a request, carried onto the later lines of its block. */
export interface RequestContext {
  method: string
  uri: string
  clientAddress: string
  time: number
  /** Undefined until the block's `Processing by` line; always present so every context has one shape. */
  controller: string | undefined
  action: string | undefined
  /** Order of the `Processing by` line tied to this block (0: none yet). */
  processingOrder: number
  /** A `Filter chain halted` line was seen in this block. */
  filterChainHalted: boolean
}

/** Per-stream state: open request blocks, oldest first. */
export interface RailsState {
  openRequests: RequestContext[]
  /** Counts `Processing by` lines, to order the blocks in progress. */
  processingCount: number
  /** The last block that completed with a 5xx: the exception block Rails writes next belongs to it. */
  lastServerError: RequestContext | undefined
  /** The stream has shown production.log request lines, so free-form lines (`Rendered …`) are Rails'. */
  seenProductionLog: boolean
}

/** More open blocks than Puma has threads means `Started` lines without an end: drop the oldest. */
const MAX_OPEN_REQUESTS = 32

/** A fresh state for one stream. */
export function createRailsState(): RailsState {
  return { openRequests: [], processingCount: 0, lastServerError: undefined, seenProductionLog: false }
}

/**
 * Opens a block for a `Started` line. Grape API requests (`/api/…`) log only their `Started` line in
 * production.log (the rest goes to api_json.log), so they never open a block that nothing would close.
 */
export function openRequest(state: RailsState, context: Pick<RequestContext, 'method' | 'uri' | 'clientAddress' | 'time'>): RequestContext {
  // One literal with every field: a spread and properties added later gave each context its own hidden
  // class, and the lookups on them showed in the profile of production.log.
  const request: RequestContext = {
    method: context.method, uri: context.uri, clientAddress: context.clientAddress, time: context.time,
    controller: undefined, action: undefined, processingOrder: 0, filterChainHalted: false,
  }
  if (context.uri.startsWith('/api/')) return request
  state.openRequests.push(request)
  if (state.openRequests.length > MAX_OPEN_REQUESTS) state.openRequests.shift()
  return request
}

/**
 * Ties a `Processing by` line to the nearest (most recent) `Started` block that has none yet: a thread
 * logs `Processing` right after its `Started`, so the latest unmatched one is the likeliest owner.
 */
export function startProcessing(state: RailsState, controller: string, action: string): RequestContext | undefined {
  for (let i = state.openRequests.length - 1; i >= 0; i--) {
    const request = state.openRequests[i]
    if (request !== undefined && request.processingOrder === 0) {
      request.processingOrder = ++state.processingCount
      request.controller = controller
      request.action = action
      return request
    }
  }
  return undefined
}

/**
 * The block the lines after `Processing by` belong to (`Parameters`, `Filter chain halted`, `Completed`):
 * the one whose `Processing by` came last, else (a `Completed` without `Processing`, e.g. a 404 from the
 * router) the most recent open one.
 */
export function findCurrentRequest(state: RailsState): RequestContext | undefined {
  let current: RequestContext | undefined
  let fallback: RequestContext | undefined
  for (const request of state.openRequests) {
    if (request.processingOrder > (current?.processingOrder ?? 0)) current = request
    fallback = request
  }
  return current ?? fallback
}

/** Closes a block on its `Completed` line. */
export function closeRequest(state: RailsState, request: RequestContext, status: number): void {
  const index = state.openRequests.indexOf(request)
  if (index !== -1) state.openRequests.splice(index, 1)
  if (status >= 500) state.lastServerError = request
}

/** The request of the 5xx the next exception block explains; consumed so one block gets it once. */
export function takeLastServerError(state: RailsState): RequestContext | undefined {
  const request = state.lastServerError
  state.lastServerError = undefined
  return request
}
