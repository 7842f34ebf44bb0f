/**
 * Writes small MaxMind DB (.mmdb) files for tests, following the public MaxMind DB File Format
 * Specification 2.0: a binary search tree over the address bits, 16 zero bytes, a data section of typed
 * values, and a metadata map after the `\xAB\xCD\xEFMaxMind.com` marker. Tests then read the files with
 * the real `maxmind` reader, so geo look-ups are tested without a downloaded database.
 *
 * Supported: IPv4 (32-bit) and IPv6 (128-bit) trees, IPv4 networks in an IPv6 tree (stored at ::/96,
 * where readers look for them), record sizes 24, 28 and 32, and the data types City and ASN records
 * use: maps, arrays, UTF-8 strings, doubles, floats, booleans, uint16/32/64 and int32. Each distinct
 * value is written once; the writer uses no pointers or data-cache containers (readers need not see any).
 */

/** A value with an explicit MaxMind DB type, for numbers whose type matters to readers in other languages. */
export interface Typed {
  readonly [TYPED]: 'double' | 'float' | 'uint16' | 'uint32' | 'uint64' | 'int32';
  readonly value: number | bigint;
}

type MmdbValue =
  string | number | boolean | bigint | Typed | readonly MmdbValue[] | { readonly [key: string]: MmdbValue };

const TYPED = Symbol('mmdb type');

export const mmdb = {
  double: (value: number): Typed => ({ [TYPED]: 'double', value }),
  float: (value: number): Typed => ({ [TYPED]: 'float', value }),
  uint16: (value: number): Typed => ({ [TYPED]: 'uint16', value }),
  uint32: (value: number): Typed => ({ [TYPED]: 'uint32', value }),
  uint64: (value: number | bigint): Typed => ({ [TYPED]: 'uint64', value }),
  int32: (value: number): Typed => ({ [TYPED]: 'int32', value }),
};

interface MmdbNetwork {
  /** CIDR: `81.2.69.0/24`, `2001:db8::/32`, or a bare address for a single host. */
  readonly network: string;
  readonly data: MmdbValue;
}

export interface MmdbOptions {
  readonly databaseType: string;
  readonly ipVersion: 4 | 6;
  readonly networks: readonly MmdbNetwork[];
  readonly recordSize?: 24 | 28 | 32;
  readonly languages?: readonly string[];
  readonly description?: Readonly<Record<string, string>>;
  /** Seconds since the epoch. */
  readonly buildEpoch?: number;
}

const METADATA_MARKER = Buffer.concat([
  Buffer.from([0xab, 0xcd, 0xef]),
  Buffer.from('MaxMind.com', 'latin1'),
]);

// Data type numbers from the specification.
const POINTER_FREE_TYPES = {
  string: 2,
  double: 3,
  uint16: 5,
  uint32: 6,
  map: 7,
  int32: 8,
  uint64: 9,
  array: 11,
  boolean: 14,
  float: 15,
} as const;

type Child = TreeNode | { readonly data: number } | null;

interface TreeNode {
  left: Child;
  right: Child;
}

export function writeMmdb(options: MmdbOptions): Buffer {
  const bits = options.ipVersion === 4 ? 32 : 128;

  // Data section: each distinct value once, in insertion order.
  const dataChunks: Buffer[] = [];
  const dataOffsets = new Map<string, number>();
  let dataLength = 0;
  const dataOffset = (value: MmdbValue): number => {
    const key = stableKey(value);
    let offset = dataOffsets.get(key);
    if (offset === undefined) {
      const bytes = encodeValue(value);
      offset = dataLength;
      dataChunks.push(bytes);
      dataLength += bytes.length;
      dataOffsets.set(key, offset);
    }
    return offset;
  };

  const root: TreeNode = { left: null, right: null };
  for (const { network, data } of options.networks) {
    const [addressBits, prefix] = parseNetwork(network, bits);
    insert(root, addressBits, prefix, { data: dataOffset(data) });
  }

  // Number the nodes breadth-first; the root must be node 0.
  const nodes: TreeNode[] = [];
  const numbers = new Map<TreeNode, number>();
  const queue: TreeNode[] = [root];
  while (queue.length > 0) {
    const node = queue.shift() as TreeNode;
    numbers.set(node, nodes.length);
    nodes.push(node);
    for (const child of [node.left, node.right]) if (child !== null && !('data' in child)) queue.push(child);
  }
  const nodeCount = nodes.length;
  const recordValue = (child: Child): number => {
    if (child === null) return nodeCount;
    if ('data' in child) return nodeCount + 16 + child.data;
    return numbers.get(child) as number;
  };

  const largest = nodeCount + 16 + dataLength;
  const recordSize = options.recordSize ?? (largest < 2 ** 24 ? 24 : largest < 2 ** 28 ? 28 : 32);
  if (largest >= 2 ** recordSize) throw new Error(`record size ${recordSize} is too small for this database`);
  const nodeBytes = recordSize / 4;
  const tree = Buffer.alloc(nodeCount * nodeBytes);
  nodes.forEach((node, i) =>
    writeNode(tree, i * nodeBytes, recordSize, recordValue(node.left), recordValue(node.right)),
  );

  const metadata = encodeValue({
    binary_format_major_version: mmdb.uint16(2),
    binary_format_minor_version: mmdb.uint16(0),
    build_epoch: mmdb.uint64(options.buildEpoch ?? 1_767_225_600),
    database_type: options.databaseType,
    description: options.description ?? { en: `Footfall test database (${options.databaseType})` },
    ip_version: mmdb.uint16(options.ipVersion),
    languages: options.languages ?? ['en'],
    node_count: mmdb.uint32(nodeCount),
    record_size: mmdb.uint16(recordSize),
  });

  return Buffer.concat([tree, Buffer.alloc(16), ...dataChunks, METADATA_MARKER, metadata]);
}

/** Inserts a network; a more specific network inside an earlier, wider one splits the wider one's leaf. */
function insert(root: TreeNode, address: readonly number[], prefix: number, leaf: { data: number }): void {
  let node = root;
  for (let depth = 0; depth < prefix; depth++) {
    const side = address[depth] === 1 ? 'right' : 'left';
    if (depth === prefix - 1) {
      const existing = node[side];
      if (existing !== null && !('data' in existing)) fillHoles(existing, leaf);
      else node[side] = leaf;
      return;
    }
    const child = node[side];
    if (child === null || 'data' in child) {
      const next: TreeNode = { left: child, right: child };
      node[side] = next;
      node = next;
    } else {
      node = child;
    }
  }
  throw new Error('a network needs a prefix length of at least 1');
}

/** A wider network inserted after narrower ones inside it covers only what they leave empty. */
function fillHoles(node: TreeNode, leaf: { data: number }): void {
  for (const side of ['left', 'right'] as const) {
    const child = node[side];
    if (child === null) node[side] = leaf;
    else if (!('data' in child)) fillHoles(child, leaf);
  }
}

function writeNode(tree: Buffer, at: number, recordSize: number, left: number, right: number): void {
  switch (recordSize) {
    case 24:
      tree.writeUIntBE(left, at, 3);
      tree.writeUIntBE(right, at + 3, 3);
      return;
    case 28:
      tree.writeUIntBE(left & 0xffffff, at, 3);
      tree[at + 3] = ((left >>> 24) << 4) | (right >>> 24);
      tree.writeUIntBE(right & 0xffffff, at + 4, 3);
      return;
    default:
      tree.writeUInt32BE(left, at);
      tree.writeUInt32BE(right, at + 4);
  }
}

/** The network's address as bits (IPv4 in an IPv6 tree sits at ::/96) and its prefix length in the tree. */
function parseNetwork(network: string, treeBits: number): [number[], number] {
  const [address = '', prefixText] = network.split('/');
  const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(address);
  const bytes = v4 ? address.split('.').map(Number) : ipv6Bytes(address);
  if (v4 && bytes.some((b) => !(b >= 0 && b <= 255))) throw new Error(`bad IPv4 address ${address}`);
  const ownBits = bytes.length * 8;
  const prefix = prefixText === undefined ? ownBits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > ownBits)
    throw new Error(`bad prefix in ${network}`);
  if (!v4 && treeBits === 32) throw new Error(`IPv6 network ${network} in an IPv4 database`);
  const bits: number[] = [];
  if (v4 && treeBits === 128) for (let i = 0; i < 96; i++) bits.push(0);
  for (const byte of bytes) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  return [bits, prefix + (v4 && treeBits === 128 ? 96 : 0)];
}

function ipv6Bytes(text: string): number[] {
  const halves = text.split('::');
  if (halves.length > 2) throw new Error(`bad IPv6 address ${text}`);
  const groups = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((g) => parseInt(g, 16));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff)))
    throw new Error(`bad IPv6 address ${text}`);
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

// --- data section ------------------------------------------------------------------------------------

function encodeValue(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(POINTER_FREE_TYPES.string, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return control(POINTER_FREE_TYPES.boolean, value ? 1 : 0);
  if (typeof value === 'bigint') return encodeTyped({ [TYPED]: 'uint64', value });
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return encodeTyped(mmdb.uint32(value));
    if (Number.isInteger(value) && value < 0 && value >= -(2 ** 31)) return encodeTyped(mmdb.int32(value));
    if (Number.isSafeInteger(value) && value > 0) return encodeTyped(mmdb.uint64(value));
    return encodeTyped(mmdb.double(value));
  }
  if (isTyped(value)) return encodeTyped(value);
  if (Array.isArray(value)) {
    const items = (value as readonly MmdbValue[]).map(encodeValue);
    return Buffer.concat([control(POINTER_FREE_TYPES.array, items.length), ...items]);
  }
  const entries = Object.entries(value as Record<string, MmdbValue>);
  const parts: Buffer[] = [control(POINTER_FREE_TYPES.map, entries.length)];
  for (const [key, item] of entries) parts.push(encodeValue(key), encodeValue(item));
  return Buffer.concat(parts);
}

function encodeTyped(typed: Typed): Buffer {
  const kind = typed[TYPED];
  switch (kind) {
    case 'double': {
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleBE(Number(typed.value));
      return Buffer.concat([control(POINTER_FREE_TYPES.double, 8), bytes]);
    }
    case 'float': {
      const bytes = Buffer.alloc(4);
      bytes.writeFloatBE(Number(typed.value));
      return Buffer.concat([control(POINTER_FREE_TYPES.float, 4), bytes]);
    }
    case 'int32': {
      const bytes = Buffer.alloc(4);
      bytes.writeInt32BE(Number(typed.value));
      // Non-negative values may drop leading zero bytes; negative ones need all four.
      const trimmed = Number(typed.value) >= 0 ? trimLeadingZeros(bytes) : bytes;
      return Buffer.concat([control(POINTER_FREE_TYPES.int32, trimmed.length), trimmed]);
    }
    default: {
      const width = kind === 'uint16' ? 2 : kind === 'uint32' ? 4 : 8;
      let n = BigInt(typed.value);
      if (n < 0n || n >= 1n << BigInt(width * 8))
        throw new Error(`${String(typed.value)} does not fit ${kind}`);
      const bytes: number[] = [];
      while (n > 0n) {
        bytes.unshift(Number(n & 0xffn));
        n >>= 8n;
      }
      return Buffer.concat([control(POINTER_FREE_TYPES[kind], bytes.length), Buffer.from(bytes)]);
    }
  }
}

function trimLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** Control byte (type and size), the extended type byte for types above 7, then the size bytes. */
function control(type: number, size: number): Buffer {
  const out: number[] = [];
  let sizeBits: number;
  const extra: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 29 + 256) {
    sizeBits = 29;
    extra.push(size - 29);
  } else if (size < 285 + 65536) {
    sizeBits = 30;
    const rest = size - 285;
    extra.push(rest >> 8, rest & 0xff);
  } else {
    sizeBits = 31;
    const rest = size - 65821;
    extra.push((rest >> 16) & 0xff, (rest >> 8) & 0xff, rest & 0xff);
  }
  if (type <= 7) out.push((type << 5) | sizeBits);
  else out.push(sizeBits, type - 7);
  return Buffer.from([...out, ...extra]);
}

function isTyped(value: unknown): value is Typed {
  return typeof value === 'object' && value !== null && TYPED in value;
}

function stableKey(value: MmdbValue): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `bigint:${v}`;
    if (isTyped(v)) return { typed: v[TYPED], value: String(v.value) };
    return v;
  });
}

// --- fixtures shaped like GeoLite2 City and ASN --------------------------------------------------------

export interface CityFixture {
  readonly network: string;
  readonly continent: string;
  readonly countryCode: string;
  readonly countryName: string;
  readonly eu: boolean;
  readonly subdivisions: readonly { readonly code: string; readonly name: string }[];
  readonly city: string;
  readonly cityGeonameId: number;
  readonly postalCode?: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly accuracyRadius: number;
  readonly timeZone: string;
}

const CONTINENTS: Readonly<Record<string, string>> = { EU: 'Europe', NA: 'North America' };

/** A GeoIP2 City record for a fixture, with the types the real databases use. */
function cityRecord(f: CityFixture): MmdbValue {
  return {
    city: { geoname_id: mmdb.uint32(f.cityGeonameId), names: { en: f.city, de: f.city } },
    continent: {
      code: f.continent,
      geoname_id: mmdb.uint32(6255148),
      names: { en: CONTINENTS[f.continent] ?? f.continent },
    },
    country: {
      geoname_id: mmdb.uint32(1),
      ...(f.eu ? { is_in_european_union: true } : {}),
      iso_code: f.countryCode,
      names: { en: f.countryName },
    },
    location: {
      accuracy_radius: mmdb.uint16(f.accuracyRadius),
      latitude: mmdb.double(f.latitude),
      longitude: mmdb.double(f.longitude),
      time_zone: f.timeZone,
    },
    ...(f.postalCode === undefined ? {} : { postal: { code: f.postalCode } }),
    registered_country: { geoname_id: mmdb.uint32(1), iso_code: f.countryCode, names: { en: f.countryName } },
    subdivisions: f.subdivisions.map((s, i) => ({
      geoname_id: mmdb.uint32(100 + i),
      iso_code: s.code,
      names: { en: s.name },
    })),
  };
}

export const CITY_FIXTURES: readonly CityFixture[] = [
  {
    network: '81.2.69.0/24',
    continent: 'EU',
    countryCode: 'GB',
    countryName: 'United Kingdom',
    eu: false,
    subdivisions: [
      { code: 'ENG', name: 'England' },
      { code: 'WSM', name: 'Westminster' },
    ],
    city: 'London',
    cityGeonameId: 2643743,
    postalCode: 'SW1A',
    latitude: 51.5142,
    longitude: -0.0931,
    accuracyRadius: 10,
    timeZone: 'Europe/London',
  },
  {
    network: '203.0.113.0/24',
    continent: 'EU',
    countryCode: 'NL',
    countryName: 'Netherlands',
    eu: true,
    subdivisions: [{ code: 'NH', name: 'North Holland' }],
    city: 'Amsterdam',
    cityGeonameId: 2759794,
    postalCode: '1012',
    latitude: 52.3759,
    longitude: 4.8975,
    accuracyRadius: 20,
    timeZone: 'Europe/Amsterdam',
  },
  {
    network: '2001:db8::/32',
    continent: 'NA',
    countryCode: 'US',
    countryName: 'United States',
    eu: false,
    subdivisions: [{ code: 'CA', name: 'California' }],
    city: 'San Francisco',
    cityGeonameId: 5391959,
    latitude: 37.7697,
    longitude: -122.3933,
    accuracyRadius: 5,
    timeZone: 'America/Los_Angeles',
  },
];

export function cityDatabase(
  fixtures: readonly CityFixture[] = CITY_FIXTURES,
  options: { ipVersion?: 4 | 6; recordSize?: 24 | 28 | 32 } = {},
): Buffer {
  return writeMmdb({
    databaseType: 'GeoLite2-City',
    ipVersion: options.ipVersion ?? 6,
    ...(options.recordSize === undefined ? {} : { recordSize: options.recordSize }),
    languages: ['de', 'en'],
    networks: fixtures
      .filter((f) => options.ipVersion !== 4 || !f.network.includes(':'))
      .map((f) => ({ network: f.network, data: cityRecord(f) })),
  });
}

const ASN_FIXTURES: readonly { network: string; asn: number; organization: string }[] = [
  { network: '81.2.69.0/24', asn: 20712, organization: 'Andrews & Arnold Ltd' },
  { network: '198.51.100.0/24', asn: 64511, organization: 'Example Mobile' },
  { network: '2001:db8::/32', asn: 64496, organization: 'Example IPv6 Networks' },
];

export function asnDatabase(): Buffer {
  return writeMmdb({
    databaseType: 'GeoLite2-ASN',
    ipVersion: 6,
    networks: ASN_FIXTURES.map((f) => ({
      network: f.network,
      data: { autonomous_system_number: mmdb.uint32(f.asn), autonomous_system_organization: f.organization },
    })),
  });
}
