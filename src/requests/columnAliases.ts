/**
 * What a column holds. `first_name` and `last_name` are searched together, as one text; `name` is a
 * bare "name" / "nom": the last name in a row that has a first name (French "Prénom;Nom"), else a search.
 */
export type RequestField = 'request_id' | 'email' | 'phone' | 'search' | 'name' | 'first_name' | 'last_name' | 'conversation_id' | 'visitor_id' | 'received_at';

/**
 * The names people give each column, in English and French, as they write them. None may mean two
 * fields once keyed (checked below, when the module loads): each alias names one field for sure, so
 * an unsure one ("date", "conversation", "reference") is left out and reported as unknown instead.
 */
const ALIASES: Readonly<Record<RequestField, readonly string[]>> = {
  request_id: [
    'request_id',
    'id',
    'request',
    'request number',
    'request no',
    'ticket',
    'ticket id',
    'ticket number',
    'ticket no',
    'case id',
    'case number',
    'numéro de ticket',
    'numéro ticket',
    'id demande',
    'identifiant de la demande',
    'numéro de demande',
    'numéro de la demande',
  ],
  email: ['email', 'mail', 'e-mail address', 'mail address', 'courriel', 'adresse e-mail', 'adresse mail', 'adresse courriel', 'adresse électronique', 'mél'],
  phone: [
    'phone',
    'phone number',
    'telephone',
    'telephone number',
    'mobile',
    'mobile phone',
    'mobile number',
    'mobile phone number',
    'cell',
    'cell phone',
    'tel',
    'numéro de téléphone',
    'numéro téléphone',
    'téléphone portable',
    'portable',
    'numéro de portable',
    'numéro portable',
    'numéro de mobile',
    'gsm',
  ],
  search: [
    'search',
    'query',
    'text',
    'search text',
    'texte',
    'recherche',
    'full name',
    'nom complet',
    'customer name',
    'client name',
    'contact name',
    'visitor name',
    'nom du client',
    'nom client',
    'nom du contact',
    'nom et prénom',
    'prénom et nom',
    'nom prénom',
    'prénom nom',
  ],
  name: ['name', 'nom'],
  first_name: ['first name', 'given name', 'forename', 'prénom'],
  last_name: ['last name', 'surname', 'family name', 'nom de famille'],
  conversation_id: [
    'conversation_id',
    'conversation uuid',
    'id conversation',
    'identifiant de conversation',
    'identifiant de la conversation',
    'uuid conversation',
    'uuid de la conversation',
  ],
  visitor_id: ['visitor_id', 'visitor uuid', 'id visiteur', 'identifiant du visiteur', 'identifiant visiteur', 'uuid visiteur', 'uuid du visiteur'],
  received_at: [
    'received_at',
    'received',
    'date received',
    'received date',
    'reception date',
    'request date',
    'date of request',
    'requested at',
    'date de réception',
    'date réception',
    'date de la demande',
    'date demande',
    'reçu le',
  ],
};

/** Case, accents, spaces, hyphens, underscores, dots and apostrophes are ignored: "E-mail", "Tél.", "Request ID", "conversationId" all match. */
function columnKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_.'’-]+/g, '');
}

const FIELD_BY_KEY: ReadonlyMap<string, RequestField> = (() => {
  const fields = new Map<string, RequestField>();
  for (const [field, aliases] of Object.entries(ALIASES) as [RequestField, readonly string[]][]) {
    for (const alias of aliases) {
      const key = columnKey(alias);
      const earlier = fields.get(key);
      if (earlier !== undefined) throw new Error(`column alias "${alias}" means both ${earlier} and ${field}`);
      fields.set(key, field);
    }
  }
  return fields;
})();

/** Every alias as written above, by field: for tests and documentation. */
export function columnAliases(): Readonly<Record<RequestField, readonly string[]>> {
  return ALIASES;
}

// Column names repeat on every row; the cap keeps a file with endless distinct JSON keys from growing it.
const cache = new Map<string, RequestField | null>();
const CACHE_LIMIT = 1000;

/** The field a column name means, or undefined for a column we do not know. */
export function canonicalColumn(name: string): RequestField | undefined {
  const cached = cache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const field = FIELD_BY_KEY.get(columnKey(name));
  if (cache.size < CACHE_LIMIT) cache.set(name, field ?? null);
  return field;
}
