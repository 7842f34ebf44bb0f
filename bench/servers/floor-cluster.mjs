// The floor for bench/scaling.mjs: the same bare node:http pixel answer as floor.mjs, but as a
// standalone process that scales like the collector does. `node floor-cluster.mjs <workers> <port>`:
// one worker runs in this process; more run as node:cluster workers behind one port, with this process
// as their primary. Prints "ready" on stdout once every worker listens; SIGTERM stops all of them.
import cluster from 'node:cluster';
import http from 'node:http';
import { answerLikeTheCollector } from './floor-answer.mjs';

const workers = Number(process.argv[2]);
const port = Number(process.argv[3]);
if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(port)) {
  process.stderr.write('usage: node floor-cluster.mjs <workers> <port>\n');
  process.exit(2);
}

function serve(onListening) {
  const server = http.createServer(answerLikeTheCollector);
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', onListening);
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    // Keep-alive connections from the load generator may still be open.
    server.closeAllConnections();
  });
}

if (workers === 1) {
  serve(() => process.stdout.write('ready\n'));
} else if (cluster.isPrimary) {
  let listening = 0;
  let stopping = false;
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork();
    worker.once('listening', () => {
      if (++listening === workers) process.stdout.write('ready\n');
    });
    worker.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`floor worker exited with ${code}\n`);
        process.exit(1);
      }
    });
  }
  process.once('SIGTERM', () => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {});
    let remaining = alive.length;
    if (remaining === 0) process.exit(0);
    for (const worker of alive) {
      worker.once('exit', () => {
        if (--remaining === 0) process.exit(0);
      });
      worker.process.kill('SIGTERM');
    }
  });
} else {
  serve();
}
