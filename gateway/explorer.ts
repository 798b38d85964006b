import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApolloServer } from '@apollo/server';
import express, { type RequestHandler } from 'express';
import {
  Kind,
  getIntrospectionQuery,
  parse,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { GatewayContext } from './apollo';
import { callerPolicy } from './callerPolicy';
import { edgeLocals, refuse } from './edge';
import type { TrustedDocuments } from './trustedDocuments';

/*
 * The explorer: GraphiQL served from the gateway's own origin, for court networks without the internet. Every file the
 * page loads is a prebuilt browser bundle shipped in an npm package (graphiql's UMD build, React 18's UMD builds) or
 * a file of gateway/explorer-page/, served from here under a Content-Security-Policy that allows this origin only:
 * no CDN, no remote fonts, no inline script. The bearer token is typed into the page and kept in sessionStorage only
 * (GraphiQL's own tabs too), never in localStorage or a cookie. The schema's docs come from `/explorer/schema.json`,
 * which holds the same introspection policy as `/graphql` (README, The explorer; ADR 15).
 */

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const packageFile = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

/** The page's files, by the name the page asks for. A fixed list: nothing else is served from the packages. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  'explorer.js': { file: path.join(here, 'explorer-page', 'explorer.js'), type: 'text/javascript' },
  'explorer.css': { file: path.join(here, 'explorer-page', 'explorer.css'), type: 'text/css' },
};

/** Where the example operations come from: every `.graphql` file under the repository's `examples/`. */
export const EXAMPLES_DIR = path.resolve(here, '..', 'examples');

/**
 * This origin only. GraphiQL's stylesheet embeds its fonts and a few icons as `data:` URLs, which load nothing from
 * anywhere; styles set by script through the CSSOM (React's `style` props) are not inline styles in CSP's sense.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const pageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('content-security-policy', EXPLORER_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  next();
};

/** One example operation: the operation's text with the fragments it uses, and its variables with null or their defaults. */
export interface ExampleOperation {
  name: string;
  /** The file it comes from, relative to the repository. */
  source: string;
  query: string;
  variables: string;
}

/** Each named operation of each `.graphql` file under `dir` (node_modules left out), with the fragments it spreads. */
export function exampleOperations(dir: string = EXAMPLES_DIR): ExampleOperation[] {
  if (!existsSync(dir)) return [];
  const files = (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((d) => d.isFile() && d.name.endsWith('.graphql'))
    .map((d) => path.join(d.parentPath, d.name))
    .filter((f) => !f.split(path.sep).includes('node_modules'))
    .sort();
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const doc = parse(text);
    const slice = (d: DefinitionNode) => text.slice(d.loc!.start, d.loc!.end);
    const fragments = new Map(
      doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    return doc.definitions
      .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && !!d.name)
      .map((op) => {
        const used: FragmentDefinitionNode[] = [];
        const collect = (node: unknown): void => {
          if (!node || typeof node !== 'object') return;
          if (Array.isArray(node)) return node.forEach(collect);
          const n = node as { kind?: string; name?: { value: string } };
          if (n.kind === Kind.FRAGMENT_SPREAD) {
            const frag = fragments.get(n.name!.value);
            if (frag && !used.includes(frag)) {
              used.push(frag);
              collect(frag.selectionSet);
            }
          }
          for (const [key, value] of Object.entries(n)) if (key !== 'loc') collect(value);
        };
        collect(op.selectionSet);
        const variables = Object.fromEntries(
          (op.variableDefinitions ?? []).map((v) => [
            v.variable.name.value,
            v.defaultValue && 'value' in v.defaultValue ? v.defaultValue.value : null,
          ]),
        );
        return {
          name: op.name!.value,
          source: path.relative(path.dirname(dir), file).split(path.sep).join('/'),
          query: [op, ...used].map(slice).join('\n\n') + '\n',
          variables: JSON.stringify(variables, null, 2),
        };
      });
  });
}

function page(integrity: Record<string, string>): string {
  const script = (name: string) => `<script src="./assets/${name}" integrity="${integrity[name]}"></script>`;
  const style = (name: string) => `<link rel="stylesheet" href="./assets/${name}" integrity="${integrity[name]}">`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Court enforcement graph — explorer</title>
<link rel="icon" href="data:,">
${style('graphiql.css')}
${style('explorer.css')}
</head>
<body>
<div id="explorer"><noscript>The explorer needs JavaScript.</noscript></div>
${script('react.js')}
${script('react-dom.js')}
${script('graphiql.js')}
${script('explorer.js')}
</body>
</html>
`;
}

export interface ExplorerOptions {
  /** The gateway's Apollo Server: the schema's docs are its answer to the introspection query, under its policy. */
  apollo: ApolloServer<GatewayContext>;
  /** The gateway's bearer-token check: the docs need a token, as `/graphql` does. */
  authenticate: RequestHandler;
  trustedDocuments?: TrustedDocuments | null;
  examplesDir?: string;
}

/**
 * The explorer under `/explorer/`: the page, its files, the example operations, and the schema's docs. The docs are
 * Apollo's answer to graphql-js's standard introspection query for the verified viewer: production refuses it (Apollo's
 * `introspection: false`), and so does a trusted-document list the viewer is held to. Only the edge's operation
 * limits are not applied to it: they are for documents a client chooses, and this one is fixed (its depth is that
 * of a type reference, nine levels).
 */
export function explorer(opts: ExplorerOptions): express.Router {
  const integrity = Object.fromEntries(
    Object.entries(ASSETS).map(([name, a]) => [name, `sha384-${createHash('sha384').update(readFileSync(a.file)).digest('base64')}`]),
  );
  const html = page(integrity);
  const examples = JSON.stringify(exampleOperations(opts.examplesDir));
  const introspection = getIntrospectionQuery();
  const router = express.Router();
  router.use(pageHeaders);
  router.get('/', (req, res) => {
    // The page's relative URLs need the trailing slash.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, `${req.baseUrl}/`);
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(html);
  });
  router.get('/assets/:name', (req, res, next) => {
    const asset = Object.hasOwn(ASSETS, req.params.name) ? ASSETS[req.params.name] : undefined;
    if (!asset) return next();
    res.sendFile(asset.file, { headers: { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'no-cache' } });
  });
  router.get('/examples.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.type('json').send(examples);
  });
  router.get('/schema.json', opts.authenticate, async (_req, res, next) => {
    try {
      const { viewer, caller, requestId } = edgeLocals(res);
      if (opts.trustedDocuments && callerPolicy(caller).trustedDocumentsOnly)
        return refuse(res, 400, 'PERSISTED_QUERY_NOT_IN_LIST', 'this gateway accepts only registered operations (trusted documents)');
      const response = await opts.apollo.executeOperation({ query: introspection }, { contextValue: { viewer: viewer!, requestId } });
      if (response.body.kind !== 'single') throw new Error('introspection answered incrementally');
      const result = response.body.singleResult;
      res.setHeader('cache-control', 'no-store');
      res.status(result.errors?.length ? 400 : 200).json(result);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/**
 * A browser asking for `/` or for `/graphql` without an operation (its address bar, not a client) is sent to the
 * explorer; every other request goes on as before.
 */
export function toExplorer(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' || req.url.includes('?')) return next();
    if (req.path !== '/' && req.path !== '/graphql') return next();
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html') return next();
    res.redirect(302, '/explorer/');
  };
}
