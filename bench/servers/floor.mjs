// The floor: a bare node:http server that answers every request with the same 37-byte pixel and the
// same headers as the collector's, and does nothing else. Scenario costs are reported as a multiple
// of this. Content-Length is given, as the collector gives it: without it Node would answer chunked,
// which costs more and would flatter the ratio.
import http from 'node:http';
import { serveBench } from './harness.mjs';

const GIF = Buffer.from('R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==', 'base64');
const HEADERS = {
  'content-type': 'image/gif',
  etag: '"6b3edc43-20ec-4078-bc47-e965dd76b88a"',
  'cache-control': 'private, no-cache, proxy-revalidate',
  pragma: 'no-cache',
  expires: 'Fri, 14 Apr 1995 11:30:00 GMT',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'cross-origin',
  'content-length': String(GIF.length),
};

const server = http.createServer((request, response) => {
  if (request.method === 'POST') {
    // The JSON scenarios' floor reads the body and answers 204, as the collector must.
    request.resume();
    request.on('end', () => {
      response.writeHead(204);
      response.end();
    });
    return;
  }
  response.writeHead(200, HEADERS);
  response.end(GIF);
});
server.keepAliveTimeout = 65_000;

await serveBench({
  listen: () => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port))),
  close: () => new Promise((resolve) => server.close(() => resolve())),
});
