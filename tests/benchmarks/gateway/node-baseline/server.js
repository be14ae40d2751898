// Baseline for tests/benchmarks/gateway/run.sh: the usual Node.js way to do what Sluice's
// /v1/ratelimit/check does in Redis mode. One RateLimiterRedis.consume() per request, keyed by the
// X-API-Key header (else the client address), same limit and window as Sluice's default rule.
// Usage: PORT=… REDIS_PORT=… LIMIT=1000 WINDOW_S=60 node server.js
'use strict';
const http = require('http');
const Redis = require('ioredis');
const { RateLimiterRedis } = require('rate-limiter-flexible');

const limit = Number(process.env.LIMIT || 1000);
const windowS = Number(process.env.WINDOW_S || 60);
const redis = new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT || 6379), enableOfflineQueue: false });
const limiter = new RateLimiterRedis({ storeClient: redis, points: limit, duration: windowS, keyPrefix: 'node_rl' });

function headers(res) {
  return {
    'Content-Type': 'application/json',
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(Math.max(0, res.remainingPoints)),
    'X-RateLimit-Reset': String(Math.ceil((Date.now() + res.msBeforeNext) / 1000)),
  };
}

http.createServer((req, res) => {
  if (!req.url.startsWith('/v1/ratelimit/check')) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"error":"not_found"}');
    return;
  }
  const key = req.headers['x-api-key'] || req.socket.remoteAddress;
  limiter.consume(key)
    .then((r) => {
      res.writeHead(200, headers(r));
      res.end(`{"status":"allowed","limit":${limit},"remaining":${r.remainingPoints}}`);
    })
    .catch((r) => {
      if (r instanceof Error) {
        res.writeHead(503, { 'Content-Type': 'application/json' });
        res.end('{"error":"store_unavailable"}');
        return;
      }
      const h = headers(r);
      h['Retry-After'] = String(Math.max(1, Math.ceil(r.msBeforeNext / 1000)));
      res.writeHead(429, h);
      res.end('{"error":"rate_limit_exceeded"}');
    });
}).listen(Number(process.env.PORT || 7070), '127.0.0.1');
