export type { Sink } from './sink.js';
export { checkSink, createSink, sinkConfigForWorker } from './registry.js';
export { MemorySink } from './memory-sink.js';
