// All examples of the registry source, quoted ones first.
import type { SourceExample } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'
import { layoutExamples } from './layout-examples.js'
import { quotedExamples } from './quoted-examples.js'

export const registryExamples: readonly SourceExample<RegistryEvent>[] = [...quotedExamples, ...layoutExamples]
