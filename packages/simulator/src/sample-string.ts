import type { Random } from './random.ts';

const FORMATS: Record<string, (random: Random) => string> = {
  email: (random) => `user${random.int(100)}@example.com`,
  'idn-email': (random) => `user${random.int(100)}@example.com`,
  uri: (random) => `https://example.com/page-${random.int(100)}`,
  url: (random) => `https://example.com/page-${random.int(100)}`,
  'uri-reference': (random) => `/page-${random.int(100)}`,
  iri: (random) => `https://example.com/page-${random.int(100)}`,
  uuid: uuid,
  'date-time': (random) => `2025-0${1 + random.int(9)}-1${random.int(10)}T10:30:00Z`,
  date: (random) => `2025-0${1 + random.int(9)}-1${random.int(10)}`,
  time: () => '10:30:00Z',
  duration: () => 'PT1H30M',
  ipv4: (random) => `192.0.2.${1 + random.int(254)}`,
  ipv6: () => '2001:db8::1',
  hostname: () => 'example.com',
  'idn-hostname': () => 'example.com',
  byte: () => 'ZXhhbXBsZQ==',
  'json-pointer': () => '/example',
  regex: () => '^example$',
};

/**
 * A string that looks like what a field of this name or format holds: `email` → an address,
 * `website` → a URL, `createdAt` → a timestamp, `city` → `example city`.
 *
 * @example
 * sampleString('firstName', createRandom(1)); // 'example first name'
 */
export function sampleString(name: string, random: Random, format?: string): string {
  const byFormat = format === undefined ? undefined : FORMATS[format];
  if (byFormat) return byFormat(random);
  const key = name.toLowerCase();
  if (key.includes('email')) return FORMATS['email']!(random);
  if (/(url|uri|link|website|href)$/.test(key)) return FORMATS['uri']!(random);
  if (key.includes('uuid') || key === 'id' || key.endsWith('_id') || name.endsWith('Id')) return uuid(random);
  if (key.includes('phone')) return `+1-555-01${10 + random.int(90)}`;
  if (key.endsWith('_at') || name.endsWith('At') || key.includes('timestamp'))
    return FORMATS['date-time']!(random);
  if (key.includes('date')) return FORMATS['date']!(random);
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.length > 0 ? `example ${words}` : `example text ${random.int(100)}`;
}

function uuid(random: Random): string {
  const hex = (count: number): string => {
    let out = '';
    for (let index = 0; index < count; index++) out += random.int(16).toString(16);
    return out;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[random.int(4)]}${hex(3)}-${hex(12)}`;
}
