import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_OVERRIDES, formatIssues, loadConfig, type ConfigIssue } from '../../../src/config/index.js';

function writeConfig(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-config-'));
  const file = path.join(dir, 'footfall.yaml');
  writeFileSync(file, text);
  return file;
}

function issuesOf(text: string, env: Record<string, string> = {}): ConfigIssue[] {
  const result = loadConfig({ file: writeConfig(text), env });
  if (result.ok) throw new Error('expected the config to be rejected');
  return [...result.issues];
}

describe('loading the configuration', () => {
  it('gives a working topology with no file at all', () => {
    const result = loadConfig({ env: {}, cwd: '/srv/footfall' });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const { config } = result;
    expect(config.server.port).toBe(8290);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.sources.browser).toMatchObject({ type: 'browser', prefix: '/', eventSuffix: 'csc-event' });
    expect(config.sources.browser).toMatchObject({
      partyTimeout: 730 * 86_400_000,
      sessionTimeout: 30 * 60_000,
    });
    expect(config.sources.app).toMatchObject({ type: 'json', path: '/json', maxBodySize: 4096 });
    expect(config.sinks.files).toMatchObject({
      type: 'file',
      workingDir: '/srv/footfall/data/working',
      publishDir: '/srv/footfall/data/published',
    });
    expect(config.mappings.clicks).toMatchObject({
      sources: ['browser', 'app'],
      sinks: ['files'],
      schema: 'builtin:footfall',
      mapper: 'builtin:footfall',
    });
    expect(Object.isFrozen(config.sources.browser)).toBe(true);
  });

  it('names all three mistakes of a broken file with their key paths and origin', () => {
    const issues = issuesOf(`
server:
  port: 99999
  prots: 1
sources:
  web: { type: browser, sessionTimeout: 30x }
`);
    expect(issues.map((i) => i.path).sort()).toEqual([
      'server.port',
      'server.prots',
      'sources.web.sessionTimeout',
    ]);
    for (const issue of issues) expect(issue.origin).toMatch(/^file /);
    expect(issues.find((i) => i.path === 'server.prots')?.message).toBe('unknown key');
  });

  it('says a bad value came from an environment variable', () => {
    const issues = issuesOf('logging: { level: info }\n', {
      FOOTFALL_LOG_LEVEL: 'loud',
      FOOTFALL_PORT: 'eighty',
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'logging.level', origin: 'environment variable FOOTFALL_LOG_LEVEL' }),
        expect.objectContaining({ path: 'server.port', origin: 'environment variable FOOTFALL_PORT' }),
      ]),
    );
  });

  it('applies environment overrides over the file', () => {
    const file = writeConfig(`
server: { port: 1234 }
sinks:
  k: { type: kafka, brokers: [a:1] }
mappings:
  m: { sources: [browser], sinks: [k] }
sources:
  browser: { type: browser }
`);
    const result = loadConfig({
      file,
      env: {
        FOOTFALL_PORT: '4321',
        FOOTFALL_HOST: '127.0.0.1',
        FOOTFALL_KAFKA_BROKERS: 'b:2, c:3',
        FOOTFALL_DATA_DIR: '/var/footfall',
        FOOTFALL_WORKERS: 'auto',
      },
    });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.server.port).toBe(4321);
    expect(result.config.server.host).toBe('127.0.0.1');
    expect(result.config.server.workers).toBe('auto');
    expect(result.config.sinks.k).toMatchObject({ brokers: ['b:2', 'c:3'] });
    expect(result.config.dataDir).toBe('/var/footfall');
  });

  it('reads the file named by FOOTFALL_CONFIG', () => {
    const file = writeConfig('server: { port: 5555 }\n');
    const result = loadConfig({ env: { FOOTFALL_CONFIG: file } });
    expect(result.ok && result.config.server.port).toBe(5555);
  });

  it('cross-checks mappings against sources and sinks', () => {
    const issues = issuesOf(`
sources:
  web: { type: browser }
sinks:
  files: { type: file }
mappings:
  a: { sources: [web, nope], sinks: [files, gone] }
  b: { sources: [web], sinks: [files], schema: builtin:divolte }
`);
    expect(issues.map((i) => i.path).sort()).toEqual([
      'mappings.a.sinks.1',
      'mappings.a.sources.1',
      'mappings.b.schema',
    ]);
    expect(issues.find((i) => i.path === 'mappings.b.schema')?.message).toMatch(/one sink holds one schema/);
  });

  it('rejects two sources on the same URL and an unknown source type, in one report', () => {
    const issues = issuesOf(`
sources:
  one: { type: json, path: /collect }
  two: { type: json, path: /collect }
  three: { type: ftp }
`);
    expect(issues.map((i) => i.path)).toEqual(['sources.three.type', 'sources.two.path']);
    const second = issuesOf(`
sources:
  one: { type: json, path: /collect }
  two: { type: json, path: /collect }
`);
    expect(second).toEqual([expect.objectContaining({ path: 'sources.two.path' })]);
  });

  it('reports YAML syntax errors, duplicate keys and a missing file', () => {
    expect(issuesOf('server: [\n')[0]?.path).toBe('');
    expect(issuesOf('server: {}\nserver: {}\n')[0]?.message).toMatch(/unique|duplicate/i);
    const missing = loadConfig({ file: '/nonexistent/footfall.yaml', env: {} });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.issues[0]?.message).toMatch(/ENOENT/);
  });

  it('accepts durations and sizes in several units', () => {
    const file = writeConfig(`
sources:
  web: { type: browser, sessionTimeout: 90s, partyTimeout: 2w }
  api: { type: json, maxBodySize: 1mb }
`);
    const result = loadConfig({ file, env: {} });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.sources.web).toMatchObject({
      sessionTimeout: 90_000,
      partyTimeout: 14 * 86_400_000,
    });
    expect(result.config.sources.api).toMatchObject({ maxBodySize: 1024 * 1024 });
    expect(result.config.mappings.clicks?.sources).toEqual(['web', 'api']);
  });
});

describe('source and sink types', () => {
  it('names the registered types when a type is unknown', () => {
    const issues = issuesOf(`
sources:
  web: { type: ftp }
sinks:
  out: { type: s3 }
`);
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'sources.web.type',
        message: 'expected a source type: browser or json',
      }),
      expect.objectContaining({ path: 'sinks.out.type', message: 'expected a sink type: file or kafka' }),
    ]);
  });

  it('lists the Kafka overrides after the global ones', () => {
    expect(ENV_OVERRIDES.slice(-2)).toEqual([
      { name: 'FOOTFALL_KAFKA_BROKERS', path: 'sinks.*.brokers', describe: expect.any(String) },
      { name: 'FOOTFALL_KAFKA_TOPIC', path: 'sinks.*.topic', describe: expect.any(String) },
    ]);
  });

  it('applies a sink type override to the sinks of that type only, and says so when there is none', () => {
    const file = writeConfig(`
sinks:
  k: { type: kafka, topic: mine }
  f: { type: file }
mappings:
  m: { sources: [browser], sinks: [k, f] }
sources:
  browser: { type: browser }
`);
    const result = loadConfig({ file, env: { FOOTFALL_KAFKA_TOPIC: 'theirs' } });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.sinks.k).toMatchObject({ topic: 'theirs' });
    expect(result.config.sinks.f).not.toHaveProperty('topic');
    expect(result.warnings).toEqual([]);

    const bad = issuesOf(
      `
sinks: { k: { type: kafka } }
mappings: { m: { sources: [b], sinks: [k] } }
sources: { b: { type: browser } }
`,
      {
        FOOTFALL_KAFKA_BROKERS: ' , ',
      },
    );
    expect(bad).toEqual([
      expect.objectContaining({
        path: 'sinks.k.brokers',
        origin: 'environment variable FOOTFALL_KAFKA_BROKERS',
      }),
    ]);

    const none = loadConfig({ env: { FOOTFALL_KAFKA_BROKERS: 'a:1', FOOTFALL_KAFKA_TOPIC: 't' } });
    expect(none.ok && none.warnings).toEqual([
      'FOOTFALL_KAFKA_BROKERS is set but no Kafka sink is configured; it has no effect',
    ]);
  });
});

describe('the example configs in docker/config', () => {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const examples = path.resolve(here, '../../../docker/config');

  it('parses the minimal example', () => {
    const result = loadConfig({ file: path.join(examples, 'minimal.yaml'), env: {} });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.sinks.files?.type).toBe('file');
  });

  it('parses the fully commented example and finds the defaults in it', () => {
    const result = loadConfig({ file: path.join(examples, 'footfall.example.yaml'), env: {} });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const defaults = loadConfig({ env: {}, cwd: examples });
    if (!defaults.ok) throw new Error(formatIssues(defaults.issues));
    // The commented example documents the defaults: loading it must give the same effective config.
    expect(result.config).toEqual(defaults.config);
  });
});

describe('trusted proxies', () => {
  it('rejects entries that are not addresses or CIDRs, naming each', () => {
    const issues = issuesOf('server: { trustProxies: [10.0.0.0/8, proxy.local, 10.0.0.0/40, "::1"] }\n');
    expect(issues.map((i) => i.path)).toEqual(['server.trustProxies.1', 'server.trustProxies.2']);
  });
});

describe('hostile and broken configs', () => {
  it('reports a structural error and the cross-checks of what parsed in one report', () => {
    const issues = issuesOf(`
server: { port: 99999 }
sources:
  web: { type: browser, sessionTimeout: soon }
  api: { type: json }
sinks:
  files: { type: file, roll: never }
mappings:
  a: { sources: [web, nope], sinks: [files, gone] }
  b: { sources: [api], sinks: [files], schema: builtin:divolte, discardCorrupted: maybe }
  "bad name": { sources: [api], sinks: [lost, 7] }
`);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['server.port', expect.any(String)],
      ['sources.web.sessionTimeout', expect.stringMatching(/^expected a duration/)],
      ['sinks.files.roll', expect.stringMatching(/^expected a duration/)],
      ['mappings.b.discardCorrupted', expect.any(String)],
      ['mappings.bad name.sinks.1', expect.any(String)],
      ['mappings.bad name', 'names may only use letters, digits, _ and - (at most 64)'],
      ['mappings.a.sources.1', 'names no configured source: nope'],
      ['mappings.a.sinks.1', 'names no configured sink: gone'],
      [
        'mappings.b.schema',
        'sink files already receives builtin:footfall from mapping a; one sink holds one schema',
      ],
      ['mappings.bad name.sinks.0', 'names no configured sink: lost'],
    ]);
  });

  it('says what a port should be, from the file or the environment, instead of "received NaN"', () => {
    const fromEnv = issuesOf('server: { port: 8290 }\n', { FOOTFALL_PORT: 'eighty' });
    expect(fromEnv).toEqual([
      {
        path: 'server.port',
        message: 'expected a port number (0-65535), got "eighty"',
        origin: 'environment variable FOOTFALL_PORT',
      },
    ]);
    const fromFile = issuesOf('server: { port: eighty }\nadmin: { port: 65536 }\n');
    expect(fromFile.map((i) => [i.path, i.message])).toEqual([
      ['server.port', 'expected a port number (0-65535), got "eighty"'],
      ['admin.port', 'expected a port number (0-65535), got 65536'],
    ]);
    // Coercion made 1 and 0 of these.
    for (const [value, shown] of [
      ['true', 'true'],
      ['""', '""'],
      ['null', 'null'],
      ['80.5', '80.5'],
      ['"-1"', '"-1"'],
      ['"0x50"', '"0x50"'],
    ]) {
      expect(issuesOf(`server: { port: ${value} }\n`).map((i) => i.message)).toEqual([
        `expected a port number (0-65535), got ${shown}`,
      ]);
    }
    const quoted = loadConfig({
      file: writeConfig('server: { port: "8080" }\n'),
      env: { FOOTFALL_ADMIN_PORT: '0' },
    });
    expect(quoted.ok && [quoted.config.server.port, quoted.config.admin.port]).toEqual([8080, 0]);
  });

  it('refuses a YAML alias bomb ("billion laughs") as a config problem, not a crash', () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let level = 1; level < 10; level++) {
      const [name, previous] = [String.fromCharCode(97 + level), String.fromCharCode(96 + level)];
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    expect(issuesOf(`${lines.join('\n')}\n`)).toEqual([
      {
        path: '',
        origin: expect.stringMatching(/^file /),
        message: expect.stringMatching(/^refused: its YAML aliases expand too far \(more than 100 /),
      },
    ]);
    // A few aliases are fine; an alias to nothing is an ordinary parse error.
    const shared = loadConfig({
      file: writeConfig('sinks:\n  a: &file { type: file, roll: 2h }\n  b: *file\n'),
      env: {},
    });
    expect(shared.ok && shared.config.sinks.b).toMatchObject({ type: 'file', roll: 7_200_000 });
    expect(issuesOf('server: *nothing\n')[0]?.message).toMatch(/alias|anchor/i);
  });

  it('accepts only literal path segments in a source prefix and a JSON path', () => {
    const prefixMessage =
      'must start and end with "/" and hold only literal path segments of letters, digits and - . _ ~ (no :name, * or %-escapes)';
    const pathMessage =
      'must start with "/" and hold only literal path segments of letters, digits and - . _ ~ (no :name, * or %-escapes)';
    for (const prefix of [
      '/:id/',
      '/*/',
      '/%zz/',
      '/%7E/',
      '/../',
      '/./',
      'collect/',
      '/collect',
      '/a//',
      '/a b/',
    ]) {
      expect(issuesOf(`sources: { web: { type: browser, prefix: "${prefix}" } }\n`)).toEqual([
        expect.objectContaining({ path: 'sources.web.prefix', message: prefixMessage }),
      ]);
    }
    for (const jsonPath of ['/:id', '/json/*', '/%zz', '/..', 'json', '//json', '/json?x=1']) {
      expect(issuesOf(`sources: { app: { type: json, path: "${jsonPath}" } }\n`)).toEqual([
        expect.objectContaining({ path: 'sources.app.path', message: pathMessage }),
      ]);
    }
    const fine = loadConfig({
      file: writeConfig(
        'sources:\n  a: { type: browser, prefix: /collect/v1/ }\n  b: { type: browser, prefix: /.well-known/t~1_x-y/ }\n' +
          '  c: { type: json, path: / }\n  d: { type: json, path: /api/v1/events }\n  e: { type: json, path: /api/ }\n',
      ),
      env: {},
    });
    if (!fine.ok) throw new Error(formatIssues(fine.issues));
  });

  it('refuses durations a timer waits out beyond 2^31 - 1 ms, and only those', () => {
    const limit = (got: string) =>
      `must be at most 24.8 days (2147483647ms), the longest a timer can wait; got ${got}`;
    const issues = issuesOf(`
server: { shutdownDelay: 25d, shutdownTimeout: 30d, keepAliveTimeout: 2147483648 }
sinks:
  f: { type: file, flushInterval: 4w, journal: { fsyncInterval: 600h } }
  k: { type: kafka, batch: { linger: 24.9d }, spool: { fsyncInterval: 2147483647 } }
mappings: { m: { sources: [browser], sinks: [f] }, n: { sources: [browser], sinks: [k] } }
`);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['server.shutdownDelay', limit('"25d"')],
      ['server.shutdownTimeout', limit('"30d"')],
      ['server.keepAliveTimeout', limit('2147483648')],
      ['sinks.f.flushInterval', limit('"4w"')],
      ['sinks.f.journal.fsyncInterval', limit('"600h"')],
      ['sinks.k.batch.linger', limit('"24.9d"')],
    ]);
    // Cookie and cache lifetimes, a file's age and the request timeout are never handed to a timer.
    const long = loadConfig({
      file: writeConfig(`
server: { requestTimeout: 30d, shutdownTimeout: 24d }
sources: { web: { type: browser, partyTimeout: 730d, sessionTimeout: 60d, scriptCacheMaxAge: 365d } }
sinks: { f: { type: file, roll: 30d } }
`),
      env: {},
    });
    if (!long.ok) throw new Error(formatIssues(long.issues));
    expect(long.config.sinks.f).toMatchObject({ roll: 30 * 86_400_000 });
  });

  it('says what a duration or a size should be, whatever the wrong value is', () => {
    const issues = issuesOf(
      'server: { shutdownDelay: true, maxUrlLength: [8kb], requestTimeout: -1s }\nsources: { a: { type: json, maxBodySize: null } }\n',
    );
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['server.shutdownDelay', 'expected a duration such as 500ms, 30s, 30m, 1h or 730d; got true'],
      ['server.maxUrlLength', 'expected a size such as 4kb, 16mb or 1gb; got ["8kb"]'],
      ['server.requestTimeout', 'expected a duration such as 500ms, 30s, 30m, 1h or 730d; got "-1s"'],
      ['sources.a.maxBodySize', 'expected a size such as 4kb, 16mb or 1gb; got null'],
    ]);
  });

  it('does not call an entry missing because it is broken', () => {
    const issues = issuesOf(`
sinks:
  out: { type: kafka, brokers: [] }
mappings:
  m: { sources: [browser], sinks: [out] }
sources:
  browser: { type: browser, prefix: nope }
`);
    expect(issues.map((i) => i.path)).toEqual(['sources.browser.prefix', 'sinks.out.brokers']);
  });
});
