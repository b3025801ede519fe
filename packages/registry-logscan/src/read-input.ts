// Reads one input as chunks for the parser: bytes from files and stdin (gunzipped when the first bytes are the
// gzip magic, whatever the name: Omnibus rotates `@4000…s` files gzipped without `.gz`; transcoded from UTF-16
// when they start with its byte-order mark, as Windows PowerShell 5.1 writes `docker logs … > x.log`; a UTF-8
// byte-order mark dropped), lines from object streams.
import { Readable, pipeline } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { isGzip } from '@registry-logscan/parser'
import { readFileChunks } from '@registry-logscan/worker-pool'
import { followFile, type FileRotation } from './follow-file.js'
import type { InputSpec } from './open-inputs.js'
import { isLiveFile } from './order-rotations.js'

/** A chunk for the parser: bytes (`write`), a whole line (`writeLine`), or a rotation mark (restart numbering). */
export type InputChunk = { bytes: Uint8Array } | { line: string } | FileRotation

/** An input being read, with the byte count the progress bar shows (compressed bytes for gzip). */
export interface InputReader {
  /** The name findings carry in `file`: the path, or `-` for standard input. */
  name: string
  chunks: AsyncIterable<InputChunk>
  bytesRead(): number
}

async function* countBytes(source: AsyncIterable<Uint8Array | string>, counter: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    counter.bytes += bytes.length
    yield bytes
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf]

/** The UTF-16 encoding a byte-order mark at the start of `head` names, if any. */
function utf16Of(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  return undefined
}

/**
 * Passes bytes through, or through gunzip when the stream starts with the gzip magic bytes, or transcodes
 * UTF-16 (with its byte-order mark) to UTF-8. `reused`: the source overwrites a chunk when the next is read
 * (`readFileChunks`), so chunks gunzip may still queue are copied.
 */
async function* decodeIfNeeded(source: AsyncIterable<Uint8Array>, reused = false): AsyncGenerator<{ bytes: Uint8Array }> {
  const iterator = source[Symbol.asyncIterator]()
  let head = Buffer.alloc(0)
  // The longest mark looked for is three bytes; a pipe may deliver one byte first.
  while (head.length < UTF8_BOM.length) {
    const next = await iterator.next()
    if (next.done === true) break
    head = Buffer.concat([head, next.value])
  }
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head
    for (;;) {
      const next = await iterator.next()
      if (next.done === true) return
      yield next.value
    }
  }
  if (UTF8_BOM.every((byte, at) => head[at] === byte)) head = head.subarray(UTF8_BOM.length)
  const utf16 = utf16Of(head)
  if (utf16 !== undefined) {
    const decoder = new TextDecoder(utf16)
    for await (const bytes of rest()) yield { bytes: Buffer.from(decoder.decode(bytes, { stream: true }), 'utf8') }
    const tail = decoder.decode()
    if (tail !== '') yield { bytes: Buffer.from(tail, 'utf8') }
    return
  }
  if (!isGzip(head)) {
    for await (const bytes of rest()) yield { bytes }
    return
  }
  // pipeline() destroys the gunzip stream with the first error (a truncated file: Z_BUF_ERROR), so the loop throws it.
  const compressed = reused ? copies(rest()) : rest()
  const gunzip = pipeline(Readable.from(compressed, { objectMode: false }), createGunzip(), () => undefined)
  for await (const bytes of gunzip as AsyncIterable<Buffer>) yield { bytes }
}

async function* copies(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield chunk.slice()
}

async function* followChunks(path: string, signal: AbortSignal, counter: { bytes: number }): AsyncGenerator<InputChunk> {
  for await (const chunk of followFile(path, { signal })) {
    if (chunk instanceof Uint8Array) {
      counter.bytes += chunk.length
      yield { bytes: chunk }
    } else yield chunk
  }
}

async function* streamChunks(stream: AsyncIterable<string | Uint8Array>, counter: { bytes: number }): AsyncGenerator<InputChunk> {
  // A byte-mode Readable carries arbitrary chunks; anything else (object mode, an async iterable) carries lines.
  if (stream instanceof Readable && !stream.readableObjectMode) {
    yield* decodeIfNeeded(countBytes(stream, counter))
    return
  }
  for await (const item of stream) {
    if (typeof item === 'string') {
      counter.bytes += item.length
      yield { line: item.endsWith('\n') ? item.slice(0, item.endsWith('\r\n') ? -2 : -1) : item }
    } else {
      counter.bytes += item.length
      yield { bytes: item }
    }
  }
}

/**
 * Opens `spec` for reading. With `follow`, a file that is the live member of its rotation family is followed
 * (see `followFile`) instead of read once; gzip files are never followed.
 */
export function readInput(spec: InputSpec, options: { follow: boolean; signal: AbortSignal }): InputReader {
  const counter = { bytes: 0 }
  const bytesRead = (): number => counter.bytes
  switch (spec.kind) {
    case 'stdin':
      return { name: '-', chunks: decodeIfNeeded(countBytes(process.stdin, counter)), bytesRead }
    case 'stream':
      return { name: spec.name, chunks: streamChunks(spec.stream, counter), bytesRead }
    case 'file':
      if (options.follow && isLiveFile(spec.path) && !spec.path.endsWith('.gz')) {
        return { name: spec.path, chunks: followChunks(spec.path, options.signal, counter), bytesRead }
      }
      return {
        name: spec.path,
        chunks: decodeIfNeeded(countBytes(readFileChunks(spec.path, { signal: options.signal }), counter), true),
        bytesRead,
      }
  }
}
