// Reads one input as chunks for the parser: bytes from files and stdin (gunzipped when the first bytes are the
// gzip magic, whatever the name: Omnibus rotates `@4000…s` files gzipped without `.gz`; transcoded from UTF-16
// when they start with its byte-order mark, as Windows PowerShell 5.1 writes `docker logs … > x.log`; a UTF-8
// byte-order mark dropped), lines from object streams.
import { Readable, pipeline } from 'node:stream'
import { TextDecoder } from 'node:util'
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
/** Bytes a byte-order mark takes at most. */
const MARK_BYTES = UTF8_BOM.length

/**
 * One file's text, byte-order mark aside: a UTF-8 mark is dropped, UTF-16 (named by its mark, as Windows
 * PowerShell 5.1 writes `docker logs … > x.log`) is transcoded to UTF-8, anything else passes through.
 */
class MarkedText {
  private head: Buffer | undefined = Buffer.alloc(0)
  private decoder: TextDecoder | undefined

  push(bytes: Uint8Array): Uint8Array[] {
    if (this.head === undefined) return this.pass(bytes)
    // A pipe may deliver the mark a byte at a time.
    this.head = Buffer.concat([this.head, bytes])
    return this.head.length < MARK_BYTES ? [] : this.decide(this.head)
  }

  /** End of the file (or of one generation of a followed file). */
  end(): Uint8Array[] {
    const out = this.head === undefined ? [] : this.decide(this.head)
    const tail = this.decoder?.decode() ?? ''
    return tail === '' ? out : [...out, Buffer.from(tail, 'utf8')]
  }

  private decide(held: Buffer): Uint8Array[] {
    let head = held
    this.head = undefined
    if (UTF8_BOM.every((byte, at) => head[at] === byte)) head = head.subarray(MARK_BYTES)
    if (head[0] === 0xff && head[1] === 0xfe) this.decoder = new TextDecoder('utf-16le')
    else if (head[0] === 0xfe && head[1] === 0xff) this.decoder = new TextDecoder('utf-16be')
    return head.length === 0 ? [] : this.pass(head)
  }

  private pass(bytes: Uint8Array): Uint8Array[] {
    return this.decoder === undefined ? [bytes] : [Buffer.from(this.decoder.decode(bytes, { stream: true }), 'utf8')]
  }
}

/**
 * Passes bytes through, or through gunzip when the stream starts with the gzip magic bytes; either way the text
 * then goes through `MarkedText`. `reused`: the source overwrites a chunk when the next is read
 * (`readFileChunks`), so chunks gunzip may still queue are copied.
 */
async function* decodeIfNeeded(source: AsyncIterable<Uint8Array>, reused = false): AsyncGenerator<{ bytes: Uint8Array }> {
  const text = new MarkedText()
  for await (const bytes of gunzipIfNeeded(source, reused)) for (const out of text.push(bytes)) yield { bytes: out }
  for (const out of text.end()) yield { bytes: out }
}

async function* gunzipIfNeeded(source: AsyncIterable<Uint8Array>, reused: boolean): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  let head = Buffer.alloc(0)
  // The magic is two bytes; a pipe may deliver one byte first.
  while (head.length < 2) {
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
  if (!isGzip(head)) {
    yield* rest()
    return
  }
  // pipeline() destroys the gunzip stream with the first error (a truncated file: Z_BUF_ERROR), so the loop throws it.
  const compressed = reused ? copies(rest()) : rest()
  yield* pipeline(Readable.from(compressed, { objectMode: false }), createGunzip(), () => undefined) as AsyncIterable<Buffer>
}

async function* copies(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield chunk.slice()
}

async function* followChunks(path: string, signal: AbortSignal, counter: { bytes: number }): AsyncGenerator<InputChunk> {
  // Each generation of the file (after a rotation) may start with its own byte-order mark.
  let text = new MarkedText()
  for await (const chunk of followFile(path, { signal })) {
    if (chunk instanceof Uint8Array) {
      counter.bytes += chunk.length
      for (const bytes of text.push(chunk)) yield { bytes }
    } else {
      for (const bytes of text.end()) yield { bytes }
      text = new MarkedText()
      yield chunk
    }
  }
  for (const bytes of text.end()) yield { bytes }
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
