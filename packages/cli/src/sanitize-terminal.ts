// Log lines are attacker-controlled: a crafted line must not move the cursor, retitle the window, hide text
// or plant a hyperlink in the operator's terminal. Everything the text reporter prints passes through here.
// Escape sequence grammar: ECMA-48 (CSI, OSC/DCS/APC/PM/SOS strings, two-byte ESC sequences).

// Each pattern is linear: one character class per position, no nested quantifiers.
const CSI = String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?`
// OSC (`ESC ]`), DCS (`ESC P`), SOS (`ESC X`), PM (`ESC ^`), APC (`ESC _`): a string ended by BEL or ST (`ESC \`).
const CONTROL_STRING = String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?`
const TWO_BYTE_ESCAPE = String.raw`\x1b[\x20-\x7e]?`
const ESCAPE_SEQUENCE = new RegExp(`${CONTROL_STRING}|${CSI}|${TWO_BYTE_ESCAPE}`, 'g')
// C0 and C1 controls (tab and newline are handled by the callers), DEL, and the bidirectional overrides
// and isolates that can make a line display in a different order than it reads (CVE-2021-42574).
const CONTROL_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

/**
 * Text safe to print on a terminal: escape sequences removed, other control characters and bidi
 * overrides replaced by `�`, tabs turned into a space. Newlines are kept; use `sanitizeLine` for one line.
 */
export function sanitizeTerminal(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL_CHARACTER, '\uFFFD').replaceAll('\t', ' ')
}

/** `sanitizeTerminal` for text that must stay on one line: newlines become `⏎`. */
export function sanitizeLine(text: string): string {
  return sanitizeTerminal(text.replace(/\r?\n/g, ' ⏎ '))
}

// JSON.stringify escapes C0 controls but not DEL, C1 controls or bidi overrides; some terminals act on C1.
const JSON_UNSAFE = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

/** Escapes what `JSON.stringify` leaves raw and a terminal could act on; the result parses to the same value. */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
