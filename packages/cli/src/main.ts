// The CLI entry: argv → command → the facade (`registry-logscan`, imported lazily so `--help` and usage errors
// answer at once) → reporter on stdout. Diagnostics go to stderr, one line each; the exit code is the contract's.
import { EXIT_ERROR, EXIT_OK } from './exit-codes.js'
import { parseArgs, UsageError, type Command } from './parse-args.js'
import { sanitizeLine } from './sanitize-terminal.js'
import { USAGE } from './usage.js'

const NAME = 'registry-logscan'

/** Writes to stdout; a closed pipe (`| head`) ends the process quietly instead of throwing EPIPE. */
function writeStdout(text: string): void {
  process.stdout.write(text)
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_OK)
  process.stderr.write(`${NAME}: cannot write output: ${error.message}\n`)
  process.exit(EXIT_ERROR)
})

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}

async function run(command: Command): Promise<number> {
  try {
    return await runCommand(command)
  } catch (error) {
    // The facade is imported only now: `--help` and usage errors must not pay for loading it.
    const { RuleFileError } = await import('registry-logscan')
    if (!(error instanceof RuleFileError)) throw error
    // An unknown id in --only / --disable is the command line's mistake, not a rule file's.
    if (error.code === 'RLS_RULE_UNKNOWN_ID') {
      process.stderr.write(`${NAME}: --${error.path ?? 'only'}: ${sanitizeLine(error.reason)} (see: ${NAME} rules list)\n`)
      return EXIT_ERROR
    }
    // One line per broken rule file, before anything was scanned.
    for (const problem of [error, ...error.others]) process.stderr.write(`${NAME}: invalid rule file: ${sanitizeLine(problem.message)}\n`)
    return EXIT_ERROR
  }
}

async function runCommand(command: Command): Promise<number> {
  switch (command.kind) {
    case 'help':
      writeStdout(USAGE)
      return EXIT_OK
    case 'version':
      writeStdout(`${await version()}\n`)
      return EXIT_OK
    case 'rules-list':
    case 'rules-show':
    case 'rules-test':
      return (await import('./rules-command.js')).runRulesCommand(command, writeStdout)
    case 'parse':
    case 'scan':
      return (await import('./scan-command.js')).runScanCommand(command, writeStdout)
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let command: Command
  try {
    command = parseArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${NAME}: ${error.message}\nTry '${NAME} --help'.\n`)
    return EXIT_ERROR
  }
  return run(command)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(EXIT_ERROR)
  },
)
