// Every incident template, merged per rule: the generator cycles through this list, so each rule's
// incidents appear at the same rate and each of its variants in turn.
import type { IncidentTemplate } from './incident.js'
import { clientIncidents } from './incidents-clients.js'
import { httpIncidents } from './incidents-http.js'
import { registryIncidents } from './incidents-registry.js'

function mergeByRule(templates: readonly IncidentTemplate[]): IncidentTemplate[] {
  const byRule = new Map<string, IncidentTemplate>()
  for (const template of templates) {
    const known = byRule.get(template.rule)
    byRule.set(template.rule, known === undefined ? template : { rule: template.rule, variants: [...known.variants, ...template.variants] })
  }
  return [...byRule.values()].sort((a, b) => a.rule.localeCompare(b.rule))
}

export const incidentCatalogue: readonly IncidentTemplate[] = mergeByRule([...registryIncidents, ...httpIncidents, ...clientIncidents])
