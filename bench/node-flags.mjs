// The Node/V8 flags the collector runs with wherever this project starts it: `npm start`, the
// container's entrypoint (docker/Dockerfile) and every benchmark that starts a collector, so that the
// figures are those of what ships. test/unit/scripts/node-flags.test.ts holds the three to this list.
//
// --max-semi-space-size=8 (MB): V8 sizes the young generation by the machine's memory, and from Node
// 22 on generously: two 32 MB semi-spaces on a 24 GB machine (16 MB in Node 20). On Node 24, the
// container's runtime, `pixel-kafka` peaked at 304 MB RSS with the default, 186–233 MB with 16 and
// 171–201 MB with 8; on Node 20, 195–200 MB with its default of 16 and 174–185 MB with 8. CPU per event
// did not move beyond the run-to-run noise in five paired runs (e.g. 50.9 against 51.5 µs).
export const COLLECTOR_NODE_FLAGS = ['--max-semi-space-size=8'];
