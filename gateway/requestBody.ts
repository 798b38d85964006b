import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { refuse } from './edge';

/** Reads the JSON body, at most `maxBodyBytes` (MAX_BODY_BYTES): larger is 413, malformed JSON 400. */
export function parseBody(maxBodyBytes: number): [RequestHandler, ErrorRequestHandler] {
  return [
    express.json({ limit: maxBodyBytes }),
    (err, _req, res, next) => {
      const status = (err as { status?: number }).status;
      if (status === 413) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${maxBodyBytes} bytes`);
      if (status === 400) return refuse(res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
      return next(err);
    },
  ];
}

/** One operation per request: a batched array is refused (Apollo's own batching is off too). */
export function refuseBatches(): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body)) return refuse(res, 400, 'BATCHING_NOT_ALLOWED', 'send one operation per request');
    return next();
  };
}
