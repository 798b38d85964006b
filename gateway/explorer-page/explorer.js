// The explorer page (served by gateway/explorer.ts): GraphiQL's UMD build on React 18's, both from npm, run as they
// are: no bundler, no inline script. The token lives in sessionStorage only, and so does GraphiQL's own state (its
// `storage`), so closing the tab forgets both; nothing goes to localStorage or a cookie.
(function () {
  'use strict';
  const h = React.createElement;
  const TOKEN_KEY = 'court-graph:token';
  const graphqlUrl = new URL('../graphql', location.href).toString();
  const schemaUrl = new URL('./schema.json', location.href).toString();
  const examplesUrl = new URL('./examples.json', location.href).toString();

  const NO_TOKEN = 'enter a bearer token (npm run token) to see the schema and run operations';
  const readToken = () => sessionStorage.getItem(TOKEN_KEY) || '';
  const authorization = () => (readToken() ? { authorization: 'Bearer ' + readToken() } : {});

  /**
   * Every operation goes to this gateway's /graphql with the token (and any headers typed into GraphiQL's header
   * editor), except GraphiQL's own introspection: that is answered by /explorer/schema.json, which runs the standard
   * introspection query under the gateway's introspection policy (the edge's depth limit would refuse its nine levels).
   */
  function makeFetcher(report) {
    return function fetcher(params, opts) {
      const extra = (opts && opts.headers) || {};
      if (params.operationName === 'IntrospectionQuery') {
        // Without a token the gateway would only answer 401: ask once there is one.
        if (!readToken()) return Promise.resolve({ errors: [{ message: NO_TOKEN }] }).then((body) => (report(body), body));
        return fetch(schemaUrl, { headers: Object.assign({ accept: 'application/json' }, extra, authorization()), credentials: 'omit' })
          .then((r) => r.json())
          .then((body) => {
            report(body);
            return body;
          });
      }
      const headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, extra, authorization());
      return fetch(graphqlUrl, { method: 'POST', headers, body: JSON.stringify(params), credentials: 'omit' }).then((r) => r.json());
    };
  }

  function Explorer() {
    const [token, setToken] = React.useState(readToken());
    // GraphiQL introspects when it mounts: a new token mounts it anew (its tabs are kept in sessionStorage).
    const [generation, setGeneration] = React.useState(0);
    const [status, setStatus] = React.useState(readToken() ? 'loading the schema…' : NO_TOKEN);
    const [examples, setExamples] = React.useState([]);
    const [chosen, setChosen] = React.useState(null);

    React.useEffect(() => {
      fetch(examplesUrl, { credentials: 'omit' })
        .then((r) => r.json())
        .then(setExamples, () => setExamples([]));
    }, []);

    const fetcher = React.useMemo(
      () =>
        makeFetcher((body) => {
          if (!readToken()) return setStatus(NO_TOKEN);
          if (body.data && body.data.__schema)
            return setStatus('schema loaded: ' + body.data.__schema.types.length + ' types (Docs, on the left)');
          const reason = (body.errors && body.errors[0] && body.errors[0].message) || 'refused';
          setStatus('no schema docs: ' + reason);
        }),
      [],
    );

    const applyToken = (event) => {
      event.preventDefault();
      const value = token.trim().replace(/^Bearer\s+/i, '');
      if (value) sessionStorage.setItem(TOKEN_KEY, value);
      else sessionStorage.removeItem(TOKEN_KEY);
      setToken(value);
      setStatus(value ? 'loading the schema…' : NO_TOKEN);
      setGeneration((g) => g + 1);
    };
    const forget = () => {
      sessionStorage.removeItem(TOKEN_KEY);
      setToken('');
      setStatus('token forgotten; ' + NO_TOKEN);
      setGeneration((g) => g + 1);
    };
    const choose = (event) => {
      const example = examples[Number(event.target.value)];
      if (example) setChosen(example);
    };

    const bar = h(
      'form',
      { className: 'explorer-bar', onSubmit: applyToken },
      h('strong', null, 'Court enforcement graph'),
      h('label', { htmlFor: 'explorer-token' }, 'Bearer token'),
      h('input', {
        id: 'explorer-token',
        type: 'password',
        autoComplete: 'off',
        spellCheck: false,
        placeholder: 'kept in this tab only',
        value: token,
        onChange: (e) => setToken(e.target.value),
      }),
      h('button', { type: 'submit', id: 'explorer-use-token' }, 'Use token'),
      h('button', { type: 'button', id: 'explorer-forget-token', onClick: forget }, 'Forget'),
      h('label', { htmlFor: 'explorer-example' }, 'Example'),
      h(
        'select',
        { id: 'explorer-example', value: chosen ? String(examples.indexOf(chosen)) : '', onChange: choose },
        h('option', { value: '', disabled: true }, examples.length ? 'choose an operation…' : 'no examples'),
        examples.map((e, i) => h('option', { key: i, value: String(i) }, e.name + ' — ' + e.source)),
      ),
      h('output', { id: 'explorer-status' }, status),
    );
    const graphiql = h(GraphiQL, {
      key: generation,
      fetcher,
      storage: window.sessionStorage,
      query: chosen ? chosen.query : undefined,
      variables: chosen ? chosen.variables : undefined,
      defaultEditorToolsVisibility: 'variables',
      shouldPersistHeaders: false,
    });
    return h('div', { className: 'explorer' }, bar, h('div', { className: 'explorer-graphiql' }, graphiql));
  }

  ReactDOM.createRoot(document.getElementById('explorer')).render(h(Explorer));
})();
