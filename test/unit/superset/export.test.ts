/**
 * The Superset export in docker/superset/export must import cleanly: Superset resolves every reference
 * by uuid, and a dangling one fails the whole import (or leaves an empty chart on the dashboard). The
 * real import is proven by `npm run e2e:pipeline`; this test catches broken references without it, and
 * holds the committed files to what scripts/superset/export.mjs builds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSessionSupervisorSpec, buildSupervisorSpec } from '../../../src/druid/index.js';
import { loadBuiltinSchema } from '../../../src/schema/index.js';
import { CHARTS, FILTERS } from '../../../scripts/superset/charts.mjs';
import { buildExport, staleFiles } from '../../../scripts/superset/export.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const exportDir = path.join(root, 'docker/superset/export');

type Doc = Record<string, unknown>;

function load(relative: string): Doc {
  return parse(readFileSync(path.join(exportDir, relative), 'utf8')) as Doc;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(path.join(exportDir, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => path.join(dir, name))
    .sort();
}

const databases = yamlFiles('databases').map(load);
const datasets = yamlFiles('datasets').map(load);
const charts = yamlFiles('charts').map(load);
const dashboards = yamlFiles('dashboards').map(load);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const specDimensions = (
  buildSupervisorSpec(loadBuiltinSchema('footfall')) as {
    spec: { dataSchema: { dimensionsSpec: { dimensions: { name: string }[] } } };
  }
).spec.dataSchema.dimensionsSpec.dimensions.map((d) => d.name);

interface Dataset {
  uuid: string;
  database_uuid: string;
  table_name: string;
  columns: { column_name: string; groupby: boolean; expression: string | null }[];
  metrics: { metric_name: string; expression: string }[];
}

interface NativeFilter {
  name: string;
  targets: { datasetUuid?: string; column?: { name: string } }[];
  scope: { excluded: number[] };
  defaultDataMask: { extraFormData: Record<string, unknown> };
}

interface Query {
  columns: (string | { sqlExpression: string })[];
  metrics: string[];
  orderby: [string, boolean][];
  filters: { col: string }[];
  row_limit: number;
}

describe('the Superset export', () => {
  it('is a version 1.0.0 dashboard export', () => {
    expect(load('metadata.yaml')).toMatchObject({ version: '1.0.0', type: 'Dashboard' });
    for (const doc of [...databases, ...datasets, ...charts, ...dashboards]) {
      expect(doc.version).toBe('1.0.0');
      expect(doc.uuid).toMatch(UUID);
    }
  });

  it('has unique uuids across all its files', () => {
    const uuids = [...databases, ...datasets, ...charts, ...dashboards].map((doc) => doc.uuid);
    expect(new Set(uuids).size).toBe(uuids.length);
  });

  it('connects to the Druid broker SQL endpoint through pydruid', () => {
    expect(databases).toHaveLength(1);
    expect(databases[0]?.sqlalchemy_uri).toBe('druid://broker:8082/druid/v2/sql/');
  });

  it('has datasets that name an existing database and the datasources of the supervisor specs', () => {
    const databaseUuids = new Set(databases.map((db) => db.uuid));
    for (const dataset of datasets as unknown as Dataset[]) {
      expect(databaseUuids.has(dataset.database_uuid)).toBe(true);
    }
    const [events, sessions] = datasets as unknown as (Dataset & { sql: string | null })[];
    expect(events?.table_name).toBe('footfall');
    expect(events?.sql).toBeNull();
    // The sessions dataset is SQL over the session spec's datasource, using only its columns.
    const sessionSpec = buildSessionSupervisorSpec(loadBuiltinSchema('footfall')) as {
      spec: {
        dataSchema: {
          dataSource: string;
          dimensionsSpec: { dimensions: { name: string }[] };
          metricsSpec: { name?: string; aggregator?: { name: string } }[];
        };
      };
    };
    const { dataSource, dimensionsSpec, metricsSpec } = sessionSpec.spec.dataSchema;
    expect(sessions?.sql).toContain(`FROM "${dataSource}"`);
    const known = [
      ...dimensionsSpec.dimensions.map((d) => d.name),
      ...metricsSpec.map((m) => m.name ?? m.aggregator!.name),
      ...sessions!.columns.map((c) => c.column_name),
      dataSource,
    ];
    for (const [, quoted] of sessions!.sql!.matchAll(/"([^"]+)"/g)) expect(known).toContain(quoted);
  });

  it('is exactly what scripts/superset/export.mjs builds (run it after editing charts.mjs or dataset.mjs)', () => {
    expect(staleFiles()).toEqual([]);
    expect([...buildExport().keys()].filter((p) => p.startsWith('charts/'))).toHaveLength(CHARTS.length);
  });

  it('offers exactly the spec dimensions as physical columns, plus __time', () => {
    const dataset = datasets[0] as unknown as Dataset;
    const physical = dataset.columns.filter((c) => c.expression === null).map((c) => c.column_name);
    expect(physical.sort()).toEqual(['__time', ...specDimensions].sort());
  });

  it('has calculated columns that read only spec dimensions and never yield null', () => {
    const dataset = datasets[0] as unknown as Dataset;
    const calculated = dataset.columns.filter((c) => c.expression !== null);
    expect(calculated.length).toBeGreaterThan(0);
    const names = new Set(dataset.columns.map((c) => c.column_name));
    for (const column of [
      ...calculated,
      ...dataset.metrics.map((m) => ({ column_name: m.metric_name, ...m })),
    ]) {
      for (const [, quoted] of column.expression!.matchAll(/"([^"]+)"/g)) {
        expect(
          specDimensions.concat(['count', 'uniqueParties', 'uniqueSessions']),
          column.column_name,
        ).toContain(quoted);
      }
    }
    // A CASE ends in ELSE and a COALESCE ends in a literal: both name every value, null included.
    for (const column of calculated) {
      expect(column.expression, column.column_name).toMatch(/ELSE [^\n]+\s*END$|, '[^']+'\)$|END$/);
      expect(names.has(column.column_name)).toBe(true);
    }
  });

  it('uses ECharts chart types, Big Numbers and tables only', () => {
    const allowed = [
      'big_number_total',
      'echarts_timeseries_line',
      'echarts_timeseries_bar',
      'pie',
      'funnel',
      'table',
    ];
    for (const chart of charts) expect(allowed, String(chart.slice_name)).toContain(chart.viz_type);
  });

  it('states for every chart the question it answers', () => {
    for (const chart of charts) expect(String(chart.description)).toMatch(/\?$/);
  });

  it('has charts whose dataset, columns, metrics and saved query all exist', () => {
    const byUuid = new Map((datasets as unknown as Dataset[]).map((d) => [d.uuid, d]));
    for (const chart of charts) {
      const dataset = byUuid.get(chart.dataset_uuid as string);
      expect(dataset, `${String(chart.slice_name)}: dataset`).toBeDefined();
      const columns = new Set(dataset!.columns.map((c) => c.column_name));
      const metrics = new Set(dataset!.metrics.map((m) => m.metric_name));
      const params = chart.params as Doc;
      expect(params.viz_type).toBe(chart.viz_type);
      for (const column of (params.groupby as string[] | undefined) ?? []) expect(columns).toContain(column);
      if (typeof params.x_axis === 'string') expect(columns).toContain(params.x_axis);
      const named = [...((params.metrics as string[] | undefined) ?? []), params.metric].filter(Boolean);
      expect(named.length, `${String(chart.slice_name)}: metrics`).toBeGreaterThan(0);
      for (const metric of named) expect(metrics).toContain(metric);

      // The saved query is what GET /api/v1/chart/<id>/data runs; it must stand on its own.
      const context = JSON.parse(chart.query_context as string) as { queries: Query[] };
      expect(context.queries.length).toBeGreaterThan(0);
      for (const query of context.queries) {
        for (const column of query.columns) {
          expect(columns).toContain(typeof column === 'string' ? column : column.sqlExpression);
        }
        for (const metric of query.metrics) expect(metrics).toContain(metric);
        for (const [metric] of query.orderby) expect(metrics).toContain(metric);
        for (const filter of query.filters) expect(columns).toContain(filter.col);
        // Tables and bars list every row the query returns; a limit reached would hide some silently.
        expect(query.row_limit).toBeGreaterThanOrEqual(100);
      }
    }
  });

  it('places every chart on the dashboard once, by uuid, in a consistent layout tree', () => {
    expect(dashboards).toHaveLength(1);
    const position = dashboards[0]!.position as Record<string, Doc>;
    const nodes = Object.entries(position).filter(([key]) => key !== 'DASHBOARD_VERSION_KEY');
    const chartNodes = nodes.filter(([, node]) => node.type === 'CHART');
    const placed = chartNodes.map(([, node]) => (node.meta as Doc).uuid);
    expect(placed.sort()).toEqual(charts.map((c) => c.uuid).sort());

    const names = new Map(charts.map((c) => [c.uuid, c.slice_name]));
    for (const [id, node] of nodes) {
      expect(node.id ?? id).toBe(id);
      for (const child of (node.children as string[] | undefined) ?? []) {
        expect(position[child], `${id} -> ${child}`).toBeDefined();
        const parents = position[child]!.parents as string[];
        expect(parents[parents.length - 1]).toBe(id);
      }
      if (node.type === 'CHART')
        expect((node.meta as Doc).sliceName).toBe(names.get((node.meta as Doc).uuid));
      if (node.type === 'ROW') {
        const width = (node.children as string[]).reduce(
          (sum, child) => sum + Number((position[child]!.meta as Doc).width),
          0,
        );
        expect(width, `${id} width`).toBeLessThanOrEqual(12);
      }
    }
  });

  it('has native filters on dataset columns, bots excluded and a time range that includes today', () => {
    const dataset = datasets[0] as unknown as Dataset;
    const columns = new Set(dataset.columns.map((c) => c.column_name));
    const metadata = dashboards[0]!.metadata as { native_filter_configuration: NativeFilter[] };
    const filters = metadata.native_filter_configuration;
    expect(filters.map((f) => f.name)).toEqual(FILTERS.map((f) => f.name));
    const position = dashboards[0]!.position as Record<string, Doc>;
    const chartIds = new Set(
      Object.values(position)
        .filter((node) => node.type === 'CHART')
        .map((node) => (node.meta as Doc).chartId),
    );
    for (const filter of filters) {
      for (const target of filter.targets) {
        if (target.column) expect(columns, filter.name).toContain(target.column.name);
        if (target.datasetUuid) expect(target.datasetUuid).toBe(dataset.uuid);
      }
      // The import maps excluded chart ids through the layout's chartId; unknown ids are dropped.
      for (const id of filter.scope.excluded) expect(chartIds).toContain(id);
    }
    const byName = new Map(filters.map((f) => [f.name, f]));
    expect(byName.get('Time range')?.defaultDataMask.extraFormData).toEqual({
      time_range: 'Last 7 days : now',
    });
    expect(byName.get('Traffic')?.defaultDataMask.extraFormData).toEqual({
      filters: [{ col: 'traffic', op: 'IN', val: ['human'] }],
    });
    for (const name of ['Country', 'Device', 'Browser', 'Source', 'Medium', 'Campaign', 'Event type'])
      expect(byName.has(name), name).toBe(true);
    // The bot share measures bots, the real-time tile has its own window: each is out of one filter's scope.
    expect(byName.get('Traffic')?.scope.excluded).toHaveLength(1);
    expect(byName.get('Time range')?.scope.excluded).toHaveLength(1);
  });

  it('zips into one top-level folder, with the Druid host replaced when asked', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'footfall-superset-')), 'export.zip');
    execFileSync(
      'python3',
      [
        path.join(root, 'scripts/superset/zip_export.py'),
        '--out',
        out,
        '--druid-uri',
        'druid://127.0.0.1:18082/druid/v2/sql/',
      ],
      { stdio: 'pipe' },
    );
    const entries = readZip(readFileSync(out));
    const names = [...entries.keys()];
    expect(names).toContain('footfall_export/metadata.yaml');
    expect(new Set(names.map((name) => name.split('/')[0]))).toEqual(new Set(['footfall_export']));
    expect(names.filter((name) => name.startsWith('footfall_export/charts/'))).toHaveLength(charts.length);
    const database = parse(entries.get('footfall_export/databases/Footfall_Druid.yaml')!) as Doc;
    expect(database.sqlalchemy_uri).toBe('druid://127.0.0.1:18082/druid/v2/sql/');
  });
});

/** Reads a zip's entries from its central directory: enough for the deflated files Python writes. */
function readZip(buf: Buffer): Map<string, string> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let offset = buf.readUInt32LE(end + 16);
  const entries = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(offset + 10);
    const size = buf.readUInt32LE(offset + 20);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const local = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + size);
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
