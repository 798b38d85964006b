import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/*
 * OpenTelemetry traces across the gateway and the subgraphs, off unless an operator configures an OTLP exporter with
 * the standard variables (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
 * OTEL_TRACES_EXPORTER=otlp, with OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME, OTEL_BSP_* as the SDK reads them).
 * Off, nothing is loaded and nothing is sent. On, spans go to that endpoint only: the resource is stated, never
 * detected (the SDK's cloud detectors probe metadata addresses), and W3C trace context links the gateway's fetches to
 * the subgraphs' request spans. Every span carries the request id.
 */

/** Whether the environment asks for traces: an OTLP endpoint or exporter named, and the SDK not disabled. */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((e) => e.trim());
  if (exporters.includes('none')) return false;
  return exporters.includes('otlp') || !!env.OTEL_EXPORTER_OTLP_ENDPOINT || !!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
}

let shutdown: (() => Promise<void>) | null = null;

/** Whether this process registered a tracer provider (so request spans are worth starting). */
export const tracingActive = (): boolean => shutdown !== null;

/**
 * Registers the tracer provider for this process, once, if `tracingRequested()`: `serviceName` unless
 * OTEL_SERVICE_NAME says otherwise. Returns whether tracing is on.
 */
export async function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (shutdown) return true;
  if (!tracingRequested(env)) return false;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The global provider, AsyncLocalStorage context and the W3C trace-context propagator.
  provider.register();
  shutdown = () => provider.shutdown();
  return true;
}

/** Flushes and stops the provider (at shutdown), if one was started. */
export async function stopTracing(): Promise<void> {
  const stop = shutdown;
  shutdown = null;
  await stop?.();
}

const tracer = () => trace.getTracer('court-enforcement-graph');

/**
 * Starts the server span of one HTTP request, continuing the caller's trace (its `traceparent`), and runs `next` with
 * it active. `end` is called once the response is finished, with the attributes known only then.
 */
export function serverSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
): { span: Span; run: <T>(fn: () => T) => T; end: (status: number, extra?: Attributes) => void } {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const active = trace.setSpan(parent, span);
  return {
    span,
    run: (fn) => context.with(active, fn),
    end: (status, extra = {}) => {
      span.setAttributes({ 'http.response.status_code': status, ...extra });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** Adds the active trace context (`traceparent`) to an outgoing subgraph request, and the request id to the span. */
export function injectTraceContext(headers: { set(name: string, value: string): void }, requestId: string | undefined): void {
  if (requestId) trace.getActiveSpan()?.setAttribute('court_graph.request_id', requestId);
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}
