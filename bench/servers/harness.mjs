// The child-process side of a benchmark: listen, tell the parent the port, and answer its questions
// about this process's own CPU time and memory over IPC. Measuring inside the server process keeps the
// load generator's CPU out of the figures.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export async function serveBench({ listen, close, stats = () => ({}) }) {
  const port = await listen();
  // How late this process's event loop ran: stalls (GC, a long synchronous batch) show up here, and
  // so does time the process waited for a core on a busy machine.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let cpuAtStart = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  sampler.unref();

  process.on('message', async (message) => {
    switch (message.type) {
      case 'mark':
        loopDelay.reset();
        cpuAtStart = process.cpuUsage();
        peakRss = process.memoryUsage().rss;
        process.send({ type: 'marked' });
        break;
      case 'measure': {
        const cpu = process.cpuUsage(cpuAtStart);
        const rss = process.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        process.send({
          type: 'measured',
          cpuUs: cpu.user + cpu.system,
          rssBytes: rss,
          peakRssBytes: peakRss,
          // Nanoseconds in the histogram; the 1 ms sampling resolution is part of every value.
          loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
          loopDelayMaxMs: loopDelay.max / 1e6,
          stats: await stats(),
        });
        break;
      }
      case 'stop':
        clearInterval(sampler);
        await close();
        process.send({ type: 'stopped', stats: await stats() });
        process.exit(0);
    }
  });
  process.send({ type: 'ready', port });
}
