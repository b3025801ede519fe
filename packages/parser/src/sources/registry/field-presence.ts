// Which of the names `buildRegistryEvent` reads a line's field map holds, as a bit mask. A map carries a
// dozen names while the event builder asks for some forty (every era's spelling of every HTTP field), so
// most lookups miss; in a profile of logrus text lines those misses were a fifth of the parse. The text
// tokenizer knows each key's bit as it stores it (its key cache holds the bit), so the builder can skip
// the lookups of names the line does not have. One bit per lookup chain: the names one `??` chain tries.

export const TIME = 1 << 0
export const LEVEL = 1 << 1
export const METHOD = 1 << 2
export const URI = 1 << 3
export const PROTOCOL = 1 << 4
export const STATUS = 1 << 5
export const BYTES = 1 << 6
export const DURATION = 1 << 7
export const USER_AGENT = 1 << 8
export const REFERER = 1 << 9
export const ADDRESS = 1 << 10
export const HOST = 1 << 11
export const CORRELATION_ID = 1 << 12
export const REQUEST_ID = 1 << 13
export const VARS_NAME = 1 << 14
export const VARS_DIGEST = 1 << 15
export const VARS_REFERENCE = 1 << 16
export const VARS_UUID = 1 << 17
export const CODE = 1 << 18
export const DETAIL = 1 << 19
export const ERROR_MESSAGE = 1 << 20
export const ERROR = 1 << 21
export const AUTH_USER = 1 << 22

/** Every bit: "any name may be there", for maps whose names were not tracked (JSON, TTY, access lines). */
export const ANY_FIELD = -1

const BITS = new Map<string, number>([
  ['time', TIME], ['level', LEVEL],
  ['http_request_method', METHOD], ['method', METHOD],
  ['http_request_uri', URI], ['uri', URI],
  ['http_request_proto', PROTOCOL], ['proto', PROTOCOL],
  ['http_response_status', STATUS], ['status', STATUS],
  ['written_bytes', BYTES], ['http_response_written', BYTES],
  ['duration_ms', DURATION], ['http_response_duration', DURATION],
  ['http_request_useragent', USER_AGENT], ['user_agent', USER_AGENT],
  ['http_request_referer', REFERER], ['referrer', REFERER], ['referer', REFERER],
  ['remote_ip', ADDRESS], ['http_request_remoteaddr', ADDRESS], ['remote_addr', ADDRESS],
  ['http_request_host', HOST], ['host', HOST],
  ['correlation_id', CORRELATION_ID], ['http_request_id', REQUEST_ID],
  ['vars_name', VARS_NAME], ['vars_digest', VARS_DIGEST], ['vars_reference', VARS_REFERENCE], ['vars_uuid', VARS_UUID],
  ['err_code', CODE], ['code', CODE], ['err_detail', DETAIL], ['detail', DETAIL],
  ['err_message', ERROR_MESSAGE], ['error', ERROR], ['auth_user_name', AUTH_USER],
])

/** The bit of a (normalised) field name, 0 for names the event builder does not read. */
export function fieldBit(name: string): number {
  return BITS.get(name) ?? 0
}
