// Types for helm.mjs.
export declare const HELM_VERSION: string;
export declare const helmPath: string;
export declare function ensureHelm(): Promise<{ path: string; version: string; builtMs: number }>;
