import type { LogEvent } from '@registry-logscan/parser'
import { describe, expect, test } from 'vitest'
import { compileRules } from './compile-rules.js'
import { BoundedGroups } from './correlate.js'
import { at, dockerEvent, makeRule, nginxEvent, ruleSet } from './fixtures/events.js'
import { createRuleEngine, type RuleEngineOptions } from './rule-engine.js'
import type { Finding } from './finding.js'

/** HEAD blob 307 (step 1) → storage HEAD 403 (step 2), joined on digest, within 2m; a 201 cancels. */
const headRedirect = makeRule({
  id: 'head-redirect',
  sources: ['nginx-access'],
  message: 'storage refused {digest}',
  fold: { by: ['digest'] },
  correlate: {
    sequence: {
      within: '2m',
      by: ['digest'],
      steps: [
        { name: 'redirect', match: { all: [{ field: 'route', equals: 'blob' }, { field: 'status', equals: 307 }] } },
        { name: 'forbidden', match: { all: [{ field: 'route', equals: 'storage' }, { field: 'status', equals: 403 }] } },
      ],
      until: { match: { field: 'status', equals: 201 } },
    },
  },
})

/** A manifest upload that is never followed by its manifest PUT within 5m. */
const noManifest = makeRule({
  id: 'no-manifest',
  sources: ['nginx-access'],
  message: 'no manifest after {repository}',
  correlate: {
    sequence: {
      within: '1m',
      by: ['repository'],
      steps: [{ match: { all: [{ field: 'route', equals: 'blob-upload' }, { field: 'status', equals: 201 }] } }],
      missing: { name: 'manifest-put', within: '5m', match: { all: [{ field: 'route', equals: 'manifest' }, { field: 'method', equals: 'PUT' }] } },
    },
  },
})

const retries = makeRule({
  id: 'retries',
  sources: ['nginx-access'],
  message: '{count} failed sessions for {repository}',
  correlate: { threshold: { by: ['repository'], within: '10m', count: 3, distinct: 'uploadUuid', match: { field: 'status', equals: 404 } } },
})

const redirect = (digest: string, time: number | undefined, status = 307) =>
  nginxEvent({ route: 'blob', status, digest, method: 'HEAD', raw: `HEAD /v2/a/blobs/${digest} ${status}`, ...(time !== undefined && { time }) })
const storage = (digest: string, time: number | undefined, status = 403) =>
  nginxEvent({ route: 'storage', status, digest, method: 'HEAD', raw: `HEAD /storage/${digest}/data ${status}`, ...(time !== undefined && { time }) })
const uploaded = (repository: string, time: number) => nginxEvent({ route: 'blob-upload', method: 'PUT', status: 201, repository, time, raw: `PUT /v2/${repository}/blobs/uploads/1 201` })
const manifest = (repository: string, time: number) => nginxEvent({ route: 'manifest', method: 'PUT', status: 201, repository, time, raw: `PUT /v2/${repository}/manifests/latest 201` })
const failed = (repository: string, uuid: string, time: number) =>
  nginxEvent({ route: 'blob-upload', method: 'PATCH', status: 404, repository, uploadUuid: uuid, time, raw: `PATCH /v2/${repository}/blobs/uploads/${uuid} 404` })

function run(rules: ReturnType<typeof makeRule>[], events: LogEvent[], options: RuleEngineOptions = {}) {
  const engine = createRuleEngine(compileRules(ruleSet(rules)), options)
  const live: Finding[] = events.flatMap((event) => engine.process(event))
  const atEnd = engine.end()
  return { live, atEnd, findings: [...live, ...atEnd], stats: engine.stats() }
}

describe('sequence', () => {
  test('fires when the steps come in order inside the window, with every line as evidence', () => {
    const { live } = run([headRedirect], [redirect('sha256:a', at(0)), storage('sha256:a', at(1))])
    expect(live).toHaveLength(1)
    expect(live[0]?.evidence.map((line) => line.text)).toEqual(['HEAD /v2/a/blobs/sha256:a 307', 'HEAD /storage/sha256:a/data 403'])
    expect(live[0]).toMatchObject({ rule: 'head-redirect', message: 'storage refused sha256:a', time: '2024-05-02T10:00:00.000Z', count: 1 })
  })

  test('does not fire outside the window', () => {
    expect(run([headRedirect], [redirect('sha256:a', at(0)), storage('sha256:a', at(3))]).findings).toEqual([])
  })

  test('does not fire in the wrong order', () => {
    expect(run([headRedirect], [storage('sha256:a', at(0)), redirect('sha256:a', at(1))]).findings).toEqual([])
  })

  test('keeps interleaved groups apart', () => {
    const { findings } = run([headRedirect], [
      redirect('sha256:a', at(0)), redirect('sha256:b', at(0, 10)), storage('sha256:b', at(0, 20)), storage('sha256:c', at(0, 30)), storage('sha256:a', at(0, 40)),
    ])
    expect(findings.map((finding) => finding.evidence.map((line) => line.text.split(' ')[1]))).toEqual([
      ['/v2/a/blobs/sha256:b', '/storage/sha256:b/data'],
      ['/v2/a/blobs/sha256:a', '/storage/sha256:a/data'],
    ])
  })

  test('an unrelated event between the steps does not break the sequence', () => {
    const { findings } = run([headRedirect], [redirect('sha256:a', at(0)), nginxEvent({ status: 200, route: 'base', time: at(0, 30), raw: 'GET /v2/ 200' }), storage('sha256:a', at(1))])
    expect(findings).toHaveLength(1)
    expect(findings[0]?.evidence).toHaveLength(2)
  })

  test('a cancelling until closes the group', () => {
    expect(run([headRedirect], [redirect('sha256:a', at(0)), storage('sha256:a', at(0, 30), 201), storage('sha256:a', at(1))]).findings).toEqual([])
  })

  test('a repeated first step restarts the window', () => {
    const { findings } = run([headRedirect], [redirect('sha256:a', at(0)), redirect('sha256:a', at(2)), storage('sha256:a', at(3))])
    expect(findings).toHaveLength(1)
    expect(findings[0]?.time).toBe('2024-05-02T10:02:00.000Z')
  })

  test('events without a time take the previous time, and a stream without times never expires', () => {
    expect(run([headRedirect], [redirect('sha256:a', at(0)), storage('sha256:a', undefined)]).findings).toHaveLength(1)
    expect(run([headRedirect], [redirect('sha256:a', undefined), storage('sha256:a', undefined)]).findings).toHaveLength(1)
    // The untimed redirect inherits 10:00, so the 10:03 storage hop is outside the 2m window.
    const inherited = run([headRedirect], [nginxEvent({ time: at(0), raw: 'tick' }), redirect('sha256:a', undefined), storage('sha256:a', at(3))])
    expect(inherited.findings).toEqual([])
  })

  test('events missing a key field join no group', () => {
    expect(run([headRedirect], [nginxEvent({ route: 'blob', status: 307, time: at(0), raw: 'x' }), storage('sha256:a', at(1))]).findings).toEqual([])
  })

  test('a per-step by joins on other fields', () => {
    const stepBy = makeRule({
      id: 'step-by',
      sources: ['nginx-access', 'docker'],
      message: 'x',
      correlate: {
        sequence: {
          within: '5m', by: ['digest'],
          steps: [{ match: { field: 'route', equals: 'blob' } }, { by: ['layerId'], match: { field: 'layerStatus', equals: 'Retrying' } }],
        },
      },
    })
    const retry = dockerEvent({ layerId: 'sha256:a', layerStatus: 'Retrying', time: at(1), raw: 'a: Retrying in 5 seconds' })
    expect(run([stepBy], [redirect('sha256:a', at(0)), retry]).findings).toHaveLength(1)
    expect(run([stepBy], [redirect('sha256:b', at(0)), retry]).findings).toHaveLength(0)
  })
})

describe('sequence with missing', () => {
  test('fires when event time passes the deadline without the awaited event', () => {
    const { live } = run([noManifest], [uploaded('app', at(0)), nginxEvent({ time: at(6), raw: 'later' })])
    expect(live).toHaveLength(1)
    expect(live[0]?.message).toBe('no manifest after app')
  })

  test('does not fire when the awaited event follows in time', () => {
    expect(run([noManifest], [uploaded('app', at(0)), manifest('app', at(4)), nginxEvent({ time: at(10), raw: 'later' })]).findings).toEqual([])
  })

  test('fires at the end of input while still waiting', () => {
    const { live, atEnd } = run([noManifest], [uploaded('app', at(0))])
    expect(live).toEqual([])
    expect(atEnd).toHaveLength(1)
  })

  test('an awaited event that comes too late does not cancel it', () => {
    const { live } = run([noManifest], [uploaded('app', at(0)), manifest('app', at(7))])
    expect(live).toHaveLength(1)
  })

  test('only the same group satisfies it', () => {
    expect(run([noManifest], [uploaded('app', at(0)), manifest('other', at(1))]).findings).toHaveLength(1)
  })

  test('advance() fires passed deadlines for live streams', () => {
    const engine = createRuleEngine(compileRules(ruleSet([noManifest])))
    engine.process(uploaded('app', at(0)))
    expect(engine.advance(at(4))).toEqual([])
    expect(engine.advance(at(6))).toHaveLength(1)
    expect(engine.end()).toEqual([])
  })
})

/** Served content (step 2) after a 200 ping (step 1) from a client that was not challenged (401) in the 10m before. */
const unchallenged = makeRule({
  id: 'unchallenged',
  sources: ['nginx-access'],
  message: '{clientAddress} was never challenged',
  correlate: {
    sequence: {
      within: '10m',
      by: ['clientAddress'],
      steps: [
        { match: { all: [{ field: 'route', equals: 'base' }, { field: 'status', equals: 200 }] } },
        { match: { all: [{ field: 'route', equals: 'manifest' }, { field: 'status', equals: 200 }] } },
      ],
      notPrecededBy: { within: '10m', match: { field: 'status', equals: 401 } },
    },
  },
})
const request = (clientAddress: string, route: 'base' | 'manifest', status: number, time: number | undefined) =>
  nginxEvent({ clientAddress, route, status, raw: `${clientAddress} ${route} ${status}`, ...(time !== undefined && { time }) })

describe('sequence with notPrecededBy', () => {
  test('fires when nothing of the kind came before the first step', () => {
    expect(run([unchallenged], [request('a', 'base', 200, at(0)), request('a', 'manifest', 200, at(1))]).findings).toHaveLength(1)
  })

  test('does not start after a recent preceding event of the same group', () => {
    const events = [request('a', 'base', 401, at(0)), request('a', 'base', 200, at(1)), request('a', 'manifest', 200, at(2))]
    expect(run([unchallenged], events).findings).toEqual([])
  })

  test('a preceding event older than its window does not count', () => {
    const events = [request('a', 'base', 401, at(0)), request('a', 'base', 200, at(11)), request('a', 'manifest', 200, at(12))]
    expect(run([unchallenged], events).findings).toHaveLength(1)
  })

  test('only the same group counts', () => {
    const events = [request('b', 'base', 401, at(0)), request('a', 'base', 200, at(1)), request('a', 'manifest', 200, at(2))]
    expect(run([unchallenged], events).findings).toHaveLength(1)
  })

  test('at the cap, dead entries behind a live oldest one are dropped before it is evicted', () => {
    // The per-event sweep cannot know where the dead entries sit; the full pass at the cap must find them.
    const groups = new BoundedGroups<{ dead: boolean }>(4, (group) => group.dead)
    groups.add('live', { dead: false })
    for (const key of ['dead1', 'dead2', 'dead3']) groups.add(key, { dead: true })
    groups.add('new', { dead: false })
    expect([...groups.keys()]).toEqual(['live', 'new'])
    expect(groups.evicted).toBe(0)
  })

  test('remembered challenges past their window make room without evictions', () => {
    const early = Array.from({ length: 4 }, (_, index) => request(`old${index}`, 'base', 401, at(0, index)))
    const late = Array.from({ length: 4 }, (_, index) => request(`new${index}`, 'base', 401, at(11, index)))
    expect(run([unchallenged], [...early, ...late], { maxOpenGroups: 4 }).stats.evicted).toBe(0)
  })

  test('without times a preceding event always counts', () => {
    const events = [request('a', 'base', 401, undefined), request('a', 'base', 200, undefined), request('a', 'manifest', 200, undefined)]
    expect(run([unchallenged], events).findings).toEqual([])
  })
})

/** A PATCH that completes at least 10 minutes after its upload's POST: a slow upload seen only as a gap. */
const slowUpload = makeRule({
  id: 'slow-upload',
  sources: ['nginx-access'],
  message: 'slow upload to {repository}',
  correlate: {
    sequence: {
      within: '2h',
      by: ['repository'],
      steps: [
        { match: { all: [{ field: 'route', equals: 'blob-upload' }, { field: 'method', equals: 'POST' }] } },
        { after: '10m', match: { all: [{ field: 'route', equals: 'blob-upload' }, { field: 'method', equals: 'PATCH' }] } },
      ],
    },
  },
})
const upload = (method: 'POST' | 'PATCH', time: number | undefined) =>
  nginxEvent({ route: 'blob-upload', method, repository: 'ml', raw: `${method} /v2/ml/blobs/uploads/`, ...(time !== undefined && { time }) })

describe('sequence step with after', () => {
  test('counts the step once the gap is long enough', () => {
    expect(run([slowUpload], [upload('POST', at(0)), upload('PATCH', at(12))]).findings).toHaveLength(1)
  })
  test('a step that comes too soon does not count, and a later one still can', () => {
    expect(run([slowUpload], [upload('POST', at(0)), upload('PATCH', at(3))]).findings).toEqual([])
    expect(run([slowUpload], [upload('POST', at(0)), upload('PATCH', at(3)), upload('PATCH', at(11))]).findings).toHaveLength(1)
  })
  test('without times the gap is unknown and never counts', () => {
    expect(run([slowUpload], [upload('POST', undefined), upload('PATCH', undefined)]).findings).toEqual([])
  })
})

describe('threshold', () => {
  test('fires at the count of distinct values within the window', () => {
    const { findings } = run([retries], [failed('app', 'u1', at(0)), failed('app', 'u1', at(1)), failed('app', 'u2', at(2)), failed('app', 'u3', at(3))])
    expect(findings).toHaveLength(1)
    expect(findings[0]?.evidence).toHaveLength(4)
    expect(findings[0]?.message).toBe('4 failed sessions for app')
  })

  test('does not fire when the events spread past the window', () => {
    expect(run([retries], [failed('app', 'u1', at(0)), failed('app', 'u2', at(6)), failed('app', 'u3', at(12))]).findings).toEqual([])
  })

  test('counts groups separately', () => {
    expect(run([retries], [failed('a', 'u1', at(0)), failed('b', 'u2', at(1)), failed('a', 'u3', at(2)), failed('b', 'u4', at(3))]).findings).toEqual([])
  })

  test('without distinct it counts events', () => {
    const plain = makeRule({ id: 'plain-count', sources: ['nginx-access'], message: 'x', correlate: { threshold: { within: '1m', count: 2 } }, match: { field: 'status', equals: 404 } })
    expect(run([plain], [failed('a', 'u', at(0)), failed('a', 'u', at(0, 30))]).findings).toHaveLength(1)
  })
})

test('a correlate list fires on any of its correlations, a { match } entry on one event', () => {
  const either = makeRule({
    id: 'either',
    sources: ['nginx-access', 'docker'],
    message: 'x',
    fold: { within: '0ms' },
    correlate: [
      { sequence: { within: '2m', by: ['digest'], steps: headRedirect.correlate && 'sequence' in headRedirect.correlate ? headRedirect.correlate.sequence?.steps : [] } },
      { match: { field: 'message', contains: 'error parsing HTTP 403 response body' } },
    ],
  })
  const docker = dockerEvent({ message: 'error parsing HTTP 403 response body: unexpected end of JSON input', time: at(5) })
  const { findings } = run([either], [redirect('sha256:a', at(0)), storage('sha256:a', at(1)), docker])
  expect(findings.map((finding) => finding.evidence.length)).toEqual([2, 1])
})

describe('bounded state', () => {
  test('evicts the oldest groups past maxOpenGroups and counts them', () => {
    const events = Array.from({ length: 50 }, (_, index) => redirect(`sha256:${index}`, at(0, index)))
    const { stats, findings } = run([headRedirect], [...events, storage('sha256:0', at(1)), storage('sha256:49', at(1))], { maxOpenGroups: 10 })
    expect(stats.evicted).toBe(40)
    expect(findings.map((finding) => finding.message)).toEqual(['storage refused sha256:49'])
  })

  test('drops unfinished groups whose window has passed instead of evicting open ones', () => {
    // 10 groups open at minute 0; from minute 3 on their 2m window has passed, so new groups take their place
    // without evicting, and a group opened late still completes.
    const early = Array.from({ length: 10 }, (_, index) => redirect(`sha256:old${index}`, at(0, index)))
    const late = Array.from({ length: 10 }, (_, index) => redirect(`sha256:new${index}`, at(3, index)))
    const { stats, findings } = run([headRedirect], [...early, ...late, storage('sha256:new0', at(4))], { maxOpenGroups: 10 })
    expect(stats.evicted).toBe(0)
    expect(findings.map((finding) => finding.message)).toEqual(['storage refused sha256:new0'])
  })

  test('keeps groups whose window is still open, so the cap still evicts them', () => {
    const events = Array.from({ length: 20 }, (_, index) => redirect(`sha256:${index}`, at(0, index)))
    expect(run([headRedirect], events, { maxOpenGroups: 10 }).stats.evicted).toBe(10)
  })

  test('keeps a complete group waiting for its missing event past the sequence window', () => {
    const others = Array.from({ length: 5 }, (_, index) => uploaded(`other${index}`, at(2, index)))
    const { findings } = run([noManifest], [uploaded('a', at(0)), ...others], { maxOpenGroups: 10 })
    expect(findings.map((finding) => finding.message)).toContain('no manifest after a')
  })

  test('drops threshold groups whose entries all left the window', () => {
    const stale = Array.from({ length: 10 }, (_, index) => failed(`repo${index}`, 'u1', at(0, index)))
    const fresh = [failed('a', 'u1', at(20)), failed('a', 'u2', at(20, 1)), failed('a', 'u3', at(20, 2))]
    const { stats, findings } = run([retries], [...stale, ...fresh], { maxOpenGroups: 10 })
    expect(stats.evicted).toBe(0)
    expect(findings.map((finding) => finding.message)).toEqual(['3 failed sessions for a'])
  })

  test('caps evidence and says how many lines were left out', () => {
    const many = makeRule({ id: 'many', sources: ['nginx-access'], message: '{count}', correlate: { threshold: { within: '1h', count: 60 } }, match: { field: 'status', equals: 404 } })
    const events = Array.from({ length: 60 }, (_, index) => failed('a', `u${index}`, at(0, index)))
    const { findings } = run([many], events, { maxEvidence: 50 })
    expect(findings[0]?.evidence).toHaveLength(50)
    expect(findings[0]?.evidenceOmitted).toBe(10)
    expect(findings[0]?.message).toBe('60')
  })
})
