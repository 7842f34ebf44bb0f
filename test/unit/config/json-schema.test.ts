import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { configSchemaCommand } from '../../../src/cli/config-schema.js';
import { loadConfig } from '../../../src/config/index.js';
import { port } from '../../../src/config/fields.js';
import { renderConfigJsonSchema } from '../../../src/config/json-schema.js';
import { DURATION_PATTERN, parseDuration, parseSize, SIZE_PATTERN } from '../../../src/config/units.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMITTED = path.join(ROOT, 'docs/config.schema.json');
const schema = JSON.parse(renderConfigJsonSchema()) as JsonSchema;

type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Checks a value against the keywords the generated schema uses, and fails the test on any other
 * keyword rather than letting it pass unchecked. (The JSON Schema validator Fastify brings along is
 * not a dependency of Footfall's own.)
 */
function errorsOf(node: JsonSchema, value: unknown, at = '(root)'): string[] {
  const errors: string[] = [];
  const fail = (why: string): void => void errors.push(`${at}: ${why}`);
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  const isType = (type: unknown): boolean => {
    switch (type) {
      case 'object':
        return isObject(value);
      case 'array':
        return Array.isArray(value);
      case 'integer':
        return Number.isInteger(value);
      case 'null':
        return value === null;
      default:
        return typeof value === type;
    }
  };
  for (const [keyword, arg] of Object.entries(node)) {
    const n = arg as number;
    switch (keyword) {
      case '$schema':
      case 'title':
      case 'description':
      case 'default':
        break;
      case 'type':
        if (!(Array.isArray(arg) ? arg : [arg]).some(isType)) fail(`expected ${String(arg)}`);
        break;
      case 'const':
        if (value !== arg) fail(`expected ${JSON.stringify(arg)}`);
        break;
      case 'enum':
        if (!(arg as unknown[]).includes(value)) fail(`expected one of ${JSON.stringify(arg)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value))
          fail(`${value} does not match ${String(arg)}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < n) fail(`shorter than ${n}`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < n) fail(`below ${n}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= n) fail(`not above ${n}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > n) fail(`above ${n}`);
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < n) fail(`fewer than ${n} items`);
        break;
      case 'items':
        if (Array.isArray(value))
          value.forEach((item, i) => errors.push(...errorsOf(arg as JsonSchema, item, `${at}.${i}`)));
        break;
      case 'required':
        if (isObject(value)) for (const key of arg as string[]) if (!(key in value)) fail(`missing ${key}`);
        break;
      case 'properties':
        if (isObject(value)) {
          for (const [key, child] of Object.entries(arg as Record<string, JsonSchema>)) {
            if (key in value) errors.push(...errorsOf(child, value[key], `${at}.${key}`));
          }
        }
        break;
      case 'additionalProperties':
        if (isObject(value)) {
          const known = Object.keys((node.properties as object | undefined) ?? {});
          for (const [key, child] of Object.entries(value)) {
            if (known.includes(key)) continue;
            if (arg === false) fail(`unknown key ${key}`);
            else errors.push(...errorsOf(arg as JsonSchema, child, `${at}.${key}`));
          }
        }
        break;
      case 'propertyNames':
        if (isObject(value)) {
          for (const key of Object.keys(value))
            if (errorsOf(arg as JsonSchema, key).length > 0) fail(`bad name ${key}`);
        }
        break;
      case 'anyOf':
      case 'oneOf': {
        const matches = (arg as JsonSchema[]).filter(
          (option) => errorsOf(option, value, at).length === 0,
        ).length;
        if (keyword === 'anyOf' ? matches === 0 : matches !== 1)
          fail(`${matches} of the ${keyword} options match`);
        break;
      }
      default:
        throw new Error(`the test's validator does not know the keyword ${keyword}`);
    }
  }
  return errors;
}

/** The JSON Schema nodes of a duration, a timer duration, a size and a port, as the schema has them. */
const server = (schema.properties as Record<string, JsonSchema>).server?.properties as Record<
  string,
  JsonSchema
>;

describe('the configuration JSON Schema', () => {
  it('is the committed docs/config.schema.json', () => {
    expect(
      readFileSync(COMMITTED, 'utf8'),
      'regenerate with: npm run build && node dist/cli/main.js config-schema --out docs/config.schema.json',
    ).toBe(renderConfigJsonSchema());
  });

  it('accepts the strings and numbers the loader reads as durations, sizes and ports, and no others', () => {
    // Near misses as well as hits: a number, a unit (or a near one), with or without blanks.
    const blank = fc.constantFrom('', ' ', '\t');
    const amount = fc.stringMatching(/^-?\d{0,6}(?:\.\d{0,2})?$/);
    const unit = fc.constantFrom(
      '',
      'ms',
      'MS',
      's',
      'm',
      'h',
      'D',
      'w',
      'b',
      'kB',
      'mb',
      'GB',
      'tb',
      'x',
      'mss',
      'k',
      'hh',
    );
    const shaped = fc.tuple(blank, amount, blank, unit, blank).map((parts) => parts.join(''));
    const text = fc.oneof(shaped, fc.stringMatching(/^[ 0-9.a-zA-Z\-+]{0,8}$/));
    const accepts = (node: JsonSchema | undefined, value: unknown) =>
      errorsOf(node ?? {}, value).length === 0;
    const samples = [
      '30s',
      ' 1.5 H ',
      '500ms',
      '2W',
      '730d',
      '7',
      '1.',
      '.5s',
      '5 mss',
      '64mb',
      '1GB',
      '12kB',
      '-1',
      '',
    ];
    const check = (value: string | number) => {
      expect(accepts(server.requestTimeout, value), `duration ${JSON.stringify(value)}`).toBe(
        parseDuration(value) !== undefined,
      );
      expect(accepts(server.maxUrlLength, value), `size ${JSON.stringify(value)}`).toBe(
        parseSize(value) !== undefined,
      );
      expect(accepts(server.port, value), `port ${JSON.stringify(value)}`).toBe(
        port.safeParse(value).success,
      );
    };
    for (const sample of [...samples, 0, 1.5, 65535, 65536, -1]) check(sample);
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.integer({ min: -5, max: 70_000 }).map(String),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        check,
      ),
      { numRuns: 1000 },
    );
    // The patterns are the loader's own, spelt for a flagless ECMAScript regular expression.
    expect(server.requestTimeout?.anyOf).toContainEqual({ type: 'string', pattern: DURATION_PATTERN });
    expect(server.maxUrlLength?.anyOf).toContainEqual({ type: 'string', pattern: SIZE_PATTERN });
    // Defaults as a file would hold them, and the timer limit where a number can say it.
    expect(server.shutdownTimeout).toMatchObject({ default: '25s' });
    expect(errorsOf(server.shutdownTimeout ?? {}, 2 ** 31)).not.toEqual([]);
  });

  it('accepts every example config of docker/config, each of which points an editor at it', () => {
    const folder = path.join(ROOT, 'docker/config');
    const files = readdirSync(folder).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const name of files) {
      const text = readFileSync(path.join(folder, name), 'utf8');
      const [first] = text.split('\n');
      const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(first ?? '')?.[1];
      expect(target && path.resolve(folder, target), name).toBe(COMMITTED);
      expect(errorsOf(schema, parse(text) ?? {}), name).toEqual([]);
    }
    const mappings = readFileSync(path.join(folder, 'mappings/footfall.yaml'), 'utf8');
    expect(errorsOf(schema, parse(mappings))).toEqual([]);
  });

  it('flags in an editor what the loader refuses', () => {
    const hostile = [
      'server: { prot: 8080 }',
      'server: { port: eighty }',
      'server: { shutdownTimeout: 30x }',
      'sources: { web: { type: browser, prefix: "/:id/" } }',
      'sources: { app: { type: json, path: "/%zz" } }',
      'sources: { web: { type: ftp } }',
      'sinks: { "bad name": { type: file } }',
      'mappings: { m: { sources: [], sinks: [files] } }',
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'footfall-schema-'));
    for (const [i, text] of hostile.entries()) {
      expect(errorsOf(schema, parse(text)), text).not.toEqual([]);
      const file = path.join(dir, `${i}.yaml`);
      writeFileSync(file, `${text}\n`);
      expect(loadConfig({ file, env: {} }).ok, text).toBe(false);
    }
  });
});

describe('footfall config-schema', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const captured = (stream: 'stdout' | 'stderr'): (() => string) => {
    let text = '';
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      text += String(chunk);
      return true;
    });
    return () => text;
  };

  it('prints the schema, writes it to --out, and refuses other options', () => {
    const stdout = captured('stdout');
    const stderr = captured('stderr');
    expect(configSchemaCommand([])).toBe(0);
    expect(stdout()).toBe(renderConfigJsonSchema());
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'footfall-schema-')), 'schema.json');
    expect(configSchemaCommand(['--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(renderConfigJsonSchema());
    expect(configSchemaCommand(['--outt', out])).toBe(2);
    expect(stderr()).toMatch(/Unknown option '--outt'/);
  });
});
