/** The contact and account fields attribute rules can test, with their types and readers. */
import type { AccountFacts, ContactFacts } from './facts';

export type FieldType = 'string' | 'number' | 'stringList';
/** Custom attributes (`contact.attributes.X`, `account.attributes.X`) are untyped. */
export type ResolvedFieldType = FieldType | 'any';
export type FieldReader = (contact: ContactFacts, account: AccountFacts | null) => unknown;

export const CONTACT_ATTRIBUTE_PREFIX = 'contact.attributes.';
export const ACCOUNT_ATTRIBUTE_PREFIX = 'account.attributes.';

interface KnownField {
  field: string;
  type: FieldType;
  read: FieldReader;
}

const KNOWN_FIELDS: readonly KnownField[] = [
  { field: 'contact.title', type: 'string', read: (c) => c.title },
  { field: 'contact.seniority', type: 'string', read: (c) => c.seniority },
  { field: 'contact.department', type: 'string', read: (c) => c.department },
  { field: 'contact.country', type: 'string', read: (c) => c.country },
  { field: 'contact.emailDomain', type: 'string', read: (c) => emailDomain(c.email) },
  { field: 'account.industry', type: 'string', read: (_c, a) => a?.industry },
  { field: 'account.domain', type: 'string', read: (_c, a) => a?.domain },
  { field: 'account.employeeCount', type: 'number', read: (_c, a) => a?.employeeCount },
  { field: 'account.annualRevenue', type: 'number', read: (_c, a) => a?.annualRevenue },
  { field: 'account.country', type: 'string', read: (_c, a) => a?.country },
  { field: 'account.region', type: 'string', read: (_c, a) => a?.region },
  { field: 'account.technologies', type: 'stringList', read: (_c, a) => a?.technologies },
];

const KNOWN_BY_NAME = new Map(KNOWN_FIELDS.map((known) => [known.field, known]));

export const FIELDS: readonly { field: string; type: FieldType }[] = Object.freeze(
  KNOWN_FIELDS.map(({ field, type }) => Object.freeze({ field, type })),
);

export function resolveFieldType(field: string): ResolvedFieldType | null {
  const known = KNOWN_BY_NAME.get(field);
  if (known) return known.type;
  return customAttributeKey(field) === null ? null : 'any';
}

/** A reader for a field, or null when the field is unknown. */
export function fieldReader(field: string): FieldReader | null {
  const known = KNOWN_BY_NAME.get(field);
  if (known) return known.read;
  const key = customAttributeKey(field);
  if (key === null) return null;
  return field.startsWith(CONTACT_ATTRIBUTE_PREFIX)
    ? (c) => ownProperty(c.attributes, key)
    : (_c, a) => ownProperty(a?.attributes, key);
}

/** The lower-cased part of an email address after the last `@`, or null. */
export function emailDomain(email: unknown): string | null {
  if (typeof email !== 'string') return null;
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return domain === '' ? null : domain;
}

/** Own properties only: a key such as `constructor` must not reach the prototype. */
export function ownProperty(record: unknown, key: string): unknown {
  if (typeof record !== 'object' || record === null) return undefined;
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

function customAttributeKey(field: string): string | null {
  for (const prefix of [CONTACT_ATTRIBUTE_PREFIX, ACCOUNT_ATTRIBUTE_PREFIX]) {
    if (field.startsWith(prefix)) {
      const key = field.slice(prefix.length);
      return key.trim() === '' ? null : key;
    }
  }
  return null;
}
