// The Node/V8 flags the collector runs with wherever this project starts it: `npm start`, the
// container's entrypoint (docker/Dockerfile) and every benchmark that starts a collector, so that the
// figures are those of what ships. test/unit/scripts/node-flags.test.ts holds the three to this list.
//
// --max-semi-space-size=16: from Node 22 on, V8 sizes the young generation by the machine's memory
// (two 32 MB semi-spaces on a 24 GB machine, against 16 MB in Node 20). On Node 24, the container's
// runtime, that put the peak RSS of `pixel-kafka` at 304 MB against 186 MB with the flag, for the same
// CPU per event; on Node 20 the flag is the default and changes nothing.
export const COLLECTOR_NODE_FLAGS = ['--max-semi-space-size=16'];
