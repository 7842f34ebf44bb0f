// What every floor server does per request, and nothing more: the same 37-byte pixel with the same
// headers as the collector's. Content-Length is given, as the collector gives it: without it Node would
// answer chunked, which costs more and would flatter the ratio. A POST (the JSON scenarios) is read to
// its end and answered 204, as the collector must.
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

/** The request listener of a floor server. */
export function answerLikeTheCollector(request, response) {
  if (request.method === 'POST') {
    request.resume();
    request.on('end', () => {
      response.writeHead(204);
      response.end();
    });
    return;
  }
  response.writeHead(200, HEADERS);
  response.end(GIF);
}
