// Vitest globalSetup of `npm run test:container`: builds the image once (the stand-in base first if it
// is missing) and, meanwhile, helm from its Go module; every test file gets the image's tag.
import type { TestProject } from 'vitest/node';
import { buildImage } from '../../../scripts/container/image.mjs';
import { ensureHelm } from '../../../scripts/container/helm.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    containerImage: string;
    helm: string;
  }
}

/** The tag the tests build, so a developer's own localhost/footfall:dev is left alone. */
const TEST_IMAGE = 'localhost/footfall:test';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

export default async function setup(project: TestProject): Promise<void> {
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
  };
  // helm first: `go install` runs in its own process while the base image is made, which blocks this
  // one (mmdebstrap, synchronously) for minutes on a bare machine.
  const helmBuild = ensureHelm();
  helmBuild.catch(() => undefined); // awaited below; a failed image build must not leave it unhandled
  const image = await buildImage({ tag: TEST_IMAGE, log, quiet: true }).catch((error: unknown) => {
    console.error(lines.slice(-40).join('\n'));
    throw error;
  });
  const helm = await helmBuild;
  console.log(
    `IMAGE ${image.tag}: ${megabytes(image.sizeBytes)} (base ${megabytes(image.baseSizeBytes)}, ` +
      `Footfall's layers ${megabytes(image.sizeBytes - image.baseSizeBytes)}); ` +
      `base ${image.baseMs === 0 ? 'cached' : `made in ${seconds(image.baseMs)}`}, build ${seconds(image.buildMs)}; ` +
      `helm ${helm.version} ${helm.builtMs === 0 ? 'cached' : `built in ${seconds(helm.builtMs)}`}`,
  );
  project.provide('containerImage', image.tag);
  project.provide('helm', helm.path);
}
