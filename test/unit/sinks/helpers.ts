import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avsc from 'avsc';
import type { SinkLogger } from '../../../src/sinks/sink-logger.js';
import type { SinkRecord } from '../../../src/sinks/sink.js';

export const clickSchema = {
  type: 'record',
  name: 'Click',
  namespace: 'test.footfall',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'page', type: 'string' },
    { name: 'referrer', type: ['null', 'string'], default: null },
  ],
};

export const clickType = avsc.Type.forSchema(clickSchema as Parameters<typeof avsc.Type.forSchema>[0]);

export interface Click {
  id: number;
  page: string;
  referrer: string | null;
}

export function click(id: number): Click {
  return { id, page: `/products/${id % 17}`, referrer: id % 3 === 0 ? null : 'https://example.com/' };
}

export function sinkRecord(value: Click): SinkRecord {
  return {
    key: `party-${value.id}`,
    value: clickType.toBuffer(value),
    timestamp: 1_700_000_000_000 + value.id,
  };
}

export function clicks(from: number, count: number): Click[] {
  return Array.from({ length: count }, (_, i) => click(from + i));
}

/** Reads an Avro container file with plain avsc, as any consumer would. */
export function readAvroFile(path: string): Promise<{ records: Click[]; codec: string }> {
  return new Promise((resolve, reject) => {
    const records: Click[] = [];
    let codec = '';
    avsc
      .createFileDecoder(path)
      .on('metadata', (_type: unknown, fileCodec: string) => {
        codec = fileCodec;
      })
      .on('data', (value: Click) =>
        records.push({ id: value.id, page: value.page, referrer: value.referrer }),
      )
      .on('error', reject)
      .on('end', () => resolve({ records, codec }));
  });
}

/** Encodes records into a container file with avsc's own encoder; returns the bytes and records per block. */
export function avscContainer(
  values: Click[],
  blockSize: number,
): Promise<{ bytes: Buffer; blocks: number[] }> {
  return new Promise((resolve, reject) => {
    const encoder = new avsc.streams.BlockEncoder(clickType, { blockSize });
    const chunks: Buffer[] = [];
    const blocks: number[] = [];
    encoder.on('block', (info: { valueCount: number }) => blocks.push(info.valueCount));
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    encoder.on('error', reject);
    encoder.on('end', () => resolve({ bytes: Buffer.concat(chunks), blocks }));
    for (const value of values) encoder.write(value);
    encoder.end();
  });
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'footfall-sinks-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Files in a folder, sorted by name (which is also the order they were opened in). */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

export function captureLogger(): { lines: LogLine[]; logger: SinkLogger } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: Record<string, unknown>, msg: string): void => {
      lines.push({ level, fields, msg });
    };
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}
