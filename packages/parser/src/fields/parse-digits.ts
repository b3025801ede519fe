// Decimal integers as logs print them (HTTP status, response size, counts).

/**
 * The value of 1 to 15 ASCII digits (15 keeps it an exact integer), or undefined for anything else: what
 * `/^\d{1,15}$/.test(text) ? Number(text) : undefined` returns. A char-code loop, because status and size
 * are read from every access line and the RegExp test plus `Number()` showed in each access parser's profile.
 */
export function parseDigits(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 15) return undefined
  let value = 0
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return undefined
    value = value * 10 + digit
  }
  return value
}
