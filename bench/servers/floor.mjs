// The floor: a bare node:http server that answers every request as floor-answer.mjs says (the
// collector's pixel and headers) and does nothing else. Scenario costs are reported as a multiple of
// this.
import http from 'node:http';
import { answerLikeTheCollector } from './floor-answer.mjs';
import { serveBench } from './harness.mjs';

const server = http.createServer(answerLikeTheCollector);
server.keepAliveTimeout = 65_000;

await serveBench({
  listen: () => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port))),
  close: () => new Promise((resolve) => server.close(() => resolve())),
});
