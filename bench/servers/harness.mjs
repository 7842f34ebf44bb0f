// The child-process side of a benchmark: listen, tell the parent the port, and answer its questions
// about this process's own CPU time and memory over IPC. Measuring inside the server process keeps the
// load generator's CPU out of the figures.
export async function serveBench({ listen, close, stats = () => ({}) }) {
  const port = await listen();
  let cpuAtStart = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  sampler.unref();

  process.on('message', async (message) => {
    switch (message.type) {
      case 'mark':
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
