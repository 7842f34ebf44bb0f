// Types for export.mjs, which the export unit test runs.

/** Every file of the export, by path relative to docker/superset/export. */
export declare function buildExport(): Map<string, string>;
/** Paths whose committed text differs from the build, or that one side lacks. */
export declare function staleFiles(dir?: string): string[];
