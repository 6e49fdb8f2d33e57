export type RequestField = 'request_id' | 'email' | 'phone' | 'search' | 'conversation_id' | 'visitor_id' | 'received_at';

const FIELD_BY_KEY: ReadonlyMap<string, RequestField> = new Map([
  ['requestid', 'request_id'],
  ['id', 'request_id'],
  ['request', 'request_id'],
  ['ticket', 'request_id'],
  ['email', 'email'],
  ['mail', 'email'],
  ['courriel', 'email'],
  ['phone', 'phone'],
  ['phonenumber', 'phone'],
  ['telephone', 'phone'],
  ['mobile', 'phone'],
  ['search', 'search'],
  ['name', 'search'],
  ['query', 'search'],
  ['text', 'search'],
  ['nom', 'search'],
  ['conversationid', 'conversation_id'],
  ['visitorid', 'visitor_id'],
  ['receivedat', 'received_at'],
]);

// Column names repeat on every row; the cap keeps a file with endless distinct JSON keys from growing it.
const cache = new Map<string, RequestField | null>();
const CACHE_LIMIT = 1000;

/**
 * The field a column name means, or undefined for a column we do not know. Case, accents, spaces,
 * hyphens and underscores are ignored, so "E-mail", "Téléphone", "Request ID" and "conversationId" all match.
 */
export function canonicalColumn(name: string): RequestField | undefined {
  const cached = cache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const key = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  const field = FIELD_BY_KEY.get(key);
  if (cache.size < CACHE_LIMIT) cache.set(name, field ?? null);
  return field;
}
