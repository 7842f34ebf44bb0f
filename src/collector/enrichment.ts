/**
 * The enrichment every real event gets: the configured user-agent cache, the geo-IP databases (opened
 * and watched, see geo.ts) and the privacy policy. `footfall serve` and `footfall map` both build it
 * here, so what `map` prints is enriched exactly as the running collector would enrich it.
 */
import type { FootfallConfig } from '../config/index.js';
import { createEnrichment, type Enrichment } from '../pipeline/index.js';
import { openGeo, type GeoOptions } from './geo.js';

export interface RuntimeEnrichment {
  readonly enrich: Enrichment;
  /** Stops watching the geo databases; the look-up keeps answering from the loaded ones. */
  close(): void;
}

export interface RuntimeEnrichmentOptions {
  /** Folder relative database paths are resolved against (the configuration file's). */
  readonly baseDir: string;
  readonly logger: GeoOptions['logger'];
  /** How the geo databases are watched for changes (tests shorten the defaults). */
  readonly geoWatch?: Pick<GeoOptions, 'pollIntervalMs' | 'settleMs'> | undefined;
}

/** Opens the configured geo databases; throws GeoDatabaseError when one cannot be read. */
export async function openEnrichment(
  config: FootfallConfig,
  options: RuntimeEnrichmentOptions,
): Promise<RuntimeEnrichment> {
  const geo = await openGeo({
    geoDatabase: config.enrich.geoDatabase,
    asnDatabase: config.enrich.asnDatabase,
    baseDir: options.baseDir,
    logger: options.logger,
    ...options.geoWatch,
  });
  return {
    enrich: createEnrichment({
      userAgentCacheSize: config.enrich.userAgentCacheSize,
      geo: geo.lookup,
      privacy: config.privacy,
    }),
    close: () => geo.close(),
  };
}
