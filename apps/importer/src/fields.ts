export const IMPORT_KINDS = ['accounts', 'contacts', 'activities'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/**
 * The input fields a CSV column can feed, per kind, each with the headers CRM exports
 * (HubSpot, Salesforce, Pipedrive ...) commonly use for it, most specific first. Headers
 * are compared case-insensitively with runs of spaces collapsed; the field's own name
 * always matches too.
 */
export const FIELD_HEADERS: Record<ImportKind, Record<string, readonly string[]>> = {
  accounts: {
    domain: [
      'company domain name',
      'domain',
      'domain name',
      'company domain',
      'website url',
      'website',
      'company website',
    ],
    name: ['company name', 'account name', 'name', 'company', 'organization name'],
    industry: ['industry'],
    employeeCount: ['number of employees', 'employees', 'employee count', 'company size'],
    annualRevenue: ['annual revenue', 'revenue'],
    country: ['country/region', 'country', 'billing country'],
    region: ['state/region', 'region', 'billing state/province', 'state'],
    technologies: ['technologies', 'web technologies', 'tech stack'],
    ownerId: ['company owner', 'account owner', 'owner', 'owner id'],
  },
  contacts: {
    email: ['email', 'email address', 'e-mail', 'work email'],
    accountDomain: [
      'company domain name',
      'account domain',
      'company domain',
      'website url',
      'website',
    ],
    accountId: ['quorum account id'],
    firstName: ['first name'],
    lastName: ['last name'],
    title: ['job title', 'title'],
    seniority: ['seniority'],
    department: ['department'],
    country: ['country/region', 'country', 'mailing country'],
    unsubscribed: ['unsubscribed', 'unsubscribed from all email', 'email opt out'],
  },
  activities: {
    type: ['activity type', 'type', 'event type'],
    occurredAt: ['activity date', 'timestamp', 'occurred at', 'date', 'created date'],
    externalId: ['external id', 'record id', 'activity id', 'event id'],
    email: ['email', 'contact email', 'email address'],
    contactId: ['quorum contact id'],
    accountId: ['quorum account id'],
    accountDomain: ['company domain name', 'account domain', 'company domain', 'domain'],
    'properties.url': ['url', 'page url'],
    'properties.campaign': ['campaign', 'campaign name'],
    'properties.channel': ['channel', 'source'],
    'properties.topic': ['topic'],
  },
};

/** Columns named `attributes.x` (accounts, contacts) or `properties.x` (activities) go into that JSON object. */
export const FREE_FORM_PREFIX: Record<ImportKind, string> = {
  accounts: 'attributes.',
  contacts: 'attributes.',
  activities: 'properties.',
};

export function isKnownField(kind: ImportKind, field: string): boolean {
  if (field in FIELD_HEADERS[kind]) return true;
  const prefix = FREE_FORM_PREFIX[kind];
  return field.startsWith(prefix) && field.length > prefix.length;
}

/** Comparable form of a header: trimmed, lower case, inner whitespace collapsed. */
export function headerKey(header: string): string {
  return header.trim().toLowerCase().replace(/\s+/g, ' ');
}
