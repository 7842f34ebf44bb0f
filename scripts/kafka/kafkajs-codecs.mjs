// The collector produces lz4 by default (zstd on request); kafkajs, the independent reader of the
// tests and the soak bench, decodes only gzip by itself. Importing this module teaches it the other
// two: zstd from node:zlib, lz4 from the frame decoder @platformatic/kafka ships (the producer's own,
// so a wrong lz4 framing would only show with a Java reader: the e2e pipeline's Druid reads these
// records too).
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { compressionsAlgorithms } from '@platformatic/kafka';
import kafkajs from 'kafkajs';

const { CompressionCodecs, CompressionTypes } = kafkajs;
const lz4 = compressionsAlgorithms.lz4;

CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => lz4.compressSync(encoder.buffer),
  decompress: async (buffer) => lz4.decompressSync(buffer),
});
CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  compress: async (encoder) => zstdCompressSync(encoder.buffer),
  decompress: async (buffer) => zstdDecompressSync(buffer),
});
