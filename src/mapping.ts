/**
 * The types a user mapping is written against. A mapping module only imports types, which vanish when
 * it is compiled, so it depends on nothing at run time:
 *
 * ```ts
 * import type { Mapper } from 'footfall';
 * const mapping: Mapper<MyRecord> = (event, ctx) => ({ ... });
 * export default mapping;
 * ```
 *
 * See README ("User mappings") and docs/migrating-from-divolte.md for the contract.
 */
export type { ClientEvent, EventFlags, JsonValue, RequestHeaders, SourceType } from './pipeline/event.js';
export type { Mapper, MapperContext } from './pipeline/map/mapper.js';
export type { DivolteUserAgent, FootfallUserAgent, UserAgentInfo } from './pipeline/enrich/user-agent.js';
export type { GeoInfo } from './pipeline/enrich/geo.js';
export type { Campaign, UrlParts } from './pipeline/enrich/url.js';
export type { DivolteRecord, FootfallRecord } from './schema/types.js';
