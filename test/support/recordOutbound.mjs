// Preloaded (`node --import`) into a product process by test/gateway/outbound.test.ts: records the host of every
// outbound connection attempt (TCP and TLS sockets, DNS look-ups, http(s) requests, hence fetch too) as one line of
// JSON in the file OUTBOUND_LOG names. It only records; the attempt goes ahead as it would.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

const file = process.env.OUTBOUND_LOG;
const record = (via, host, port) => {
  if (file)
    appendFileSync(
      file,
      `${JSON.stringify({ via, host: String(host), port: port === undefined ? null : Number(port), pid: process.pid })}\n`,
    );
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect passes its normalized arguments as an array ([options, callback]).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    if (first.path === undefined) record('socket', first.host ?? 'localhost', first.port);
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    record('socket', typeof args[1] === 'string' ? args[1] : 'localhost', first);
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  record('dns', hostname);
  return lookup.call(this, hostname, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (hostname, ...rest) {
  record('dns', hostname);
  return promisesLookup.call(this, hostname, ...rest);
};

for (const [name, mod] of [
  ['http', http],
  ['https', https],
]) {
  for (const fn of ['request', 'get']) {
    const original = mod[fn];
    mod[fn] = function (...args) {
      const first = args[0];
      const url = typeof first === 'string' || first instanceof URL ? new URL(first) : null;
      const options = url ? null : first;
      record(name, url ? url.hostname : (options?.hostname ?? options?.host ?? 'localhost'), url ? url.port : options?.port);
      return original.apply(this, args);
    };
  }
}
