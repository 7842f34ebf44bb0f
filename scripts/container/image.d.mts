// Types for image.mjs, which stays plain JavaScript so it runs without a build step.

export declare const repoRoot: string;
export declare const NODE_VERSION: string;
export declare const NPM_VERSION: string;
export declare const DEBIAN_SUITE: string;
/** The stand-in for node:24-bookworm-slim, made locally. */
export declare const BASE_IMAGE: string;
export declare const DEFAULT_IMAGE: string;

/** process.env plus CONTAINERS_CONF pointing at scripts/container/containers.conf. */
export declare function podmanEnv(): NodeJS.ProcessEnv;
/** Runs podman synchronously; returns stdout, throws with stderr unless allowFailure. */
export declare function podman(
  args: string[],
  options?: { input?: string | Buffer; allowFailure?: boolean },
): string;
/** Runs podman without blocking; resolves with stdout, rejects with the tail of stderr. */
export declare function podmanAsync(
  args: string[],
  options?: { log?: (line: string) => void; quiet?: boolean },
): Promise<string>;
export declare function debianMirror(): string;
export declare function imageExists(tag: string): boolean;
/** Milliseconds it took to make the base image, 0 when it existed. */
export declare function ensureBaseImage(options?: {
  log?: (line: string) => void;
  rebuild?: boolean;
}): number;
export interface BuiltImage {
  tag: string;
  baseMs: number;
  buildMs: number;
  sizeBytes: number;
  baseSizeBytes: number;
}
export declare function buildImage(options?: {
  tag?: string;
  log?: (line: string) => void;
  quiet?: boolean;
}): Promise<BuiltImage>;
export declare function imageSize(tag: string): number;
