// The catalogue of output formats: `--format` picks one by name.
import type { OutputFormat } from '../parse-args.js'
import { createJsonReporter } from './json.js'
import { createNdjsonReporter } from './ndjson.js'
import type { Reporter, ReporterContext } from './reporter.js'
import { createTextReporter } from './text.js'

export type { Reporter, ReporterContext } from './reporter.js'

export const reporters: Record<OutputFormat, (context: ReporterContext) => Reporter> = {
  text: createTextReporter,
  ndjson: createNdjsonReporter,
  json: createJsonReporter,
}
