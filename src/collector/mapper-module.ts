/**
 * Loading the mappers the configuration names, at start-up: `builtin:footfall`, `builtin:divolte`, or
 * a TypeScript or JavaScript module (its path resolved against the configuration file's folder by
 * resolveMappings, mappings.ts) whose default export is the mapping function. TypeScript is bundled
 * with esbuild into one ES module (types are only stripped, not checked: the dry run below is the check
 * that matters; the mapping's own relative imports are bundled into it) and imported from a file in a
 * private temporary folder, which is removed as soon as the import has settled.
 *
 * Every mapping, builtin or not, then gets a dry run over synthetic events with its schema's codec
 * (pipeline/map/verify.ts), so a mapping that cannot produce records of its schema stops the start.
 */
import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import type { FootfallConfig } from '../config/index.js';
import { BUILTIN_MAPPERS, MappingError, verifyMapper, type Mapper } from '../pipeline/index.js';
import type { ResolvedMapping } from './mappings.js';

/** A resolved mapping with its mapper, checked against its schema. */
export interface LoadedMapping extends ResolvedMapping {
  readonly mapper: Mapper;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);
const JAVASCRIPT = new Set(['.js', '.mjs', '.cjs']);

/**
 * Loads and checks the mapper of every resolved mapping (resolveMappings), in order; throws
 * MappingError. `config` gives the privacy policy the dry run applies.
 */
export async function loadMappings(
  config: FootfallConfig,
  resolved: ReadonlyMap<string, ResolvedMapping>,
  logger?: Pick<FastifyBaseLogger, 'info' | 'warn'>,
): Promise<Map<string, LoadedMapping>> {
  // By file: mappings sharing a module import it once.
  const modules = new Map<string, Promise<Mapper>>();
  const loaded = new Map<string, LoadedMapping>();
  for (const mapping of resolved.values()) {
    const { name, codec } = mapping;
    const { mapper: named } = mapping.config;
    const key = `mappings.${name}.mapper`;
    let mapper: Mapper;
    if (mapping.module === null) {
      // resolveMappings has refused unknown builtin names.
      mapper = BUILTIN_MAPPERS[named] as Mapper;
    } else {
      let pending = modules.get(mapping.module);
      if (pending === undefined) {
        pending = loadMapperModule(mapping.module, key);
        modules.set(mapping.module, pending);
      }
      mapper = await pending;
    }
    const result = verifyMapper(mapper, codec, {
      what: `${key} (${named})`,
      privacy: config.privacy,
    });
    if (result.encoded === 0) {
      logger?.warn(
        { mapping: name },
        `${key} discarded every synthetic event of the start-up check, so its records could not be checked against the schema`,
      );
    }
    logger?.info({ mapping: name, mapper: named, schema: codec.name }, `mapping ${name} checked`);
    loaded.set(name, { ...mapping, mapper });
  }
  return loaded;
}

/** Imports a mapping module and returns its mapping function. */
export async function loadMapperModule(file: string, key = 'mapper'): Promise<Mapper> {
  const extension = path.extname(file).toLowerCase();
  if (!TYPESCRIPT.has(extension) && !JAVASCRIPT.has(extension)) {
    throw new MappingError(`${key}: ${file} must be a .ts, .mts, .cts, .js, .mjs or .cjs module`);
  }
  try {
    if (!statSync(file).isFile()) throw new MappingError(`${key}: ${file} is not a file`);
  } catch (err) {
    if (err instanceof MappingError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new MappingError(
      `${key}: ${file} ${code === 'ENOENT' ? 'not found' : `cannot be read (${code})`}`,
      {
        cause: err,
      },
    );
  }

  let exports: Record<string, unknown>;
  try {
    exports = TYPESCRIPT.has(extension)
      ? await importTypeScript(file, key)
      : await import(pathToFileURL(file).href);
  } catch (err) {
    if (err instanceof MappingError) throw err;
    throw new MappingError(`${key}: ${file} failed to load: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
    });
  }
  const candidate = exports.default ?? exports.mapper;
  if (typeof candidate !== 'function') {
    throw new MappingError(
      `${key}: ${file} must export the mapping function as its default export ` +
        '(export default function (event, ctx) { return { ... }; })',
    );
  }
  return candidate as Mapper;
}

async function importTypeScript(file: string, key: string): Promise<Record<string, unknown>> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (err) {
    throw new MappingError(
      `${key}: TypeScript mappings need the esbuild package, which is not installed; install it or compile ${file} to JavaScript`,
      { cause: err },
    );
  }
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: path.dirname(file),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      // CommonJS dependencies bundled into ESM call require(); resolve it from the mapping's folder.
      banner: {
        js: `import { createRequire as __footfallRequire } from 'node:module'; const require = __footfallRequire(${JSON.stringify(pathToFileURL(file).href)});`,
      },
    });
    code = result.outputFiles[0]?.text ?? '';
  } catch (err) {
    const errors = (
      err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }
    ).errors;
    const detail =
      errors && errors.length > 0
        ? errors
            .slice(0, 5)
            .map((e) =>
              e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text,
            )
            .join('; ')
        : (err as Error).message;
    throw new MappingError(`${key}: ${file} does not compile: ${detail}`, { cause: err });
  }
  return importCompiled(file, code);
}

/**
 * Compiled mappings by content: a changed mapping is a new module, an unchanged one is imported once
 * per process (as Node's module cache did when the file name was derived from the content).
 */
const compiled = new Map<string, Promise<Record<string, unknown>>>();

/** Private folders whose import has not settled yet; removed at exit if the process ends first. */
const pendingFolders = new Set<string>();
let exitHookInstalled = false;

/**
 * Imports compiled code through a file of its own. Not a `data:` URL, although that would touch no
 * disk: Node puts the module's whole URL into every stack frame, and a bundled mapping with its inline
 * source map is tens of kilobytes, in every logged mapping failure.
 *
 * The file used to be `<tmpdir>/footfall-mappings/<name>-<pid>-<hash>.mjs`, a predictable name in a
 * shared folder created with `mkdir -p` and written without O_EXCL: another local user could plant a
 * symlink there and have the collector overwrite any file it may write, or swap the module before it
 * was imported (CWE-59, CWE-377). mkdtemp creates a folder with a random name that only this user can
 * enter (0700), and `wx` (O_CREAT | O_EXCL) refuses to write through anything already at the path.
 */
function importCompiled(file: string, code: string): Promise<Record<string, unknown>> {
  const hash = createHash('sha256').update(code).digest('hex');
  let pending = compiled.get(hash);
  if (pending === undefined) {
    pending = importFromPrivateFolder(file, code);
    compiled.set(hash, pending);
    // A failed import is not remembered, so a caller may try again after fixing what was missing.
    pending.catch(() => compiled.delete(hash));
  }
  return pending;
}

async function importFromPrivateFolder(file: string, code: string): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'footfall-mapping-'));
  pendingFolders.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Only a module whose top-level code never settles leaves its folder until then.
    process.on('exit', () => {
      for (const folder of pendingFolders) rmSync(folder, { recursive: true, force: true });
    });
  }
  try {
    const out = path.join(dir, `${path.basename(file).replace(/\W+/g, '_')}.mjs`);
    await writeFile(out, code, { flag: 'wx', mode: 0o600 });
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    pendingFolders.delete(dir);
    await rm(dir, { recursive: true, force: true });
  }
}
