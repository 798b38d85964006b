import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraph } from '../../scripts/graph';
import { EXPLORER_CSP, exampleOperations } from '../../gateway/explorer';
import { launchChromium, type TestBrowser } from '../support/browser';
import { openRaw, startTestGraph, tokenFor } from '../support/graph';
import { ROOT } from '../support/processes';

/** The page's globals the test reads, evaluated in the browser (this file is compiled with Node's types, not the DOM's). */
type BrowserGlobals = {
  sessionStorage: { getItem(key: string): string | null };
  localStorage: { length: number };
  document: { cookie: string };
};
/** GraphiQL's editors are CodeMirror 5 instances hung on their element. */
type CodeMirrorHost = { CodeMirror: { getValue(): string } };

/*
 * Issue 17 item 1: the explorer, in a real browser (Debian's chromium through playwright-core). The page is loaded from
 * the gateway, a token typed in, the README's debtor walk chosen from the examples and run; every request the page
 * made is recorded, and one to any other host than the gateway's fails the test.
 */

const registry = openRaw('case-registry');
const property = openRaw('property-control');
afterAll(() => [registry, property].forEach((db) => db.close()));

/** A debtor with cases in several courts and controlled property, as the walk test picks one. */
function busyDebtorId(): string {
  const row = property
    .prepare(
      `select p.owner_id id from properties p join measures m on m.property_id = p.id where p.owner_id is not null group by p.owner_id order by count(distinct m.court_code) desc, p.owner_id limit 1`,
    )
    .get() as { id: string };
  return row.id;
}

/** The README's debtor walk, as its Quick start shows it. */
function readmeWalk(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /```graphql\n(query DebtorWalk[\s\S]*?\n})\n```/.exec(readme);
  if (!m) throw new Error('README.md has no DebtorWalk block');
  return m[1]!;
}

let graph: RunningGraph;
let chromium: TestBrowser;
let origin: string;
beforeAll(async () => {
  // The browser first: without one the suite fails here, loudly, before anything else is started.
  chromium = await launchChromium();
  graph = await startTestGraph();
  origin = new URL(graph.gateway.url).origin;
});
afterAll(async () => {
  await chromium?.close();
  await graph?.close();
});

/** A new tab that records every request it makes and every console error (CSP violations are reported there). */
async function openTab(): Promise<{ page: Page; requests: Request[]; consoleErrors: string[] }> {
  const page = await chromium.context.newPage();
  // A step that cannot happen fails with its locator, well inside the test's own time-out.
  page.setDefaultTimeout(15_000);
  const requests: Request[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => requests.push(r));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return { page, requests, consoleErrors };
}

describe('issue 17 item 1: the explorer', () => {
  it('offers the README’s debtor walk among the examples, as the README shows it', () => {
    const walk = exampleOperations().find((e) => e.name === 'DebtorWalk');
    expect(walk?.source).toBe('examples/explorer/debtor-walk.graphql');
    expect(walk?.query.trim()).toBe(readmeWalk());
    expect(JSON.parse(walk!.variables)).toEqual({ id: null });
    // The front-end's registered operations are offered too, each with the fragments it spreads.
    const overview = exampleOperations().find((e) => e.name === 'DebtorOverview');
    expect(overview?.query).toContain('fragment CaseLine on Case');
  });

  it('runs the debtor walk in chromium with a typed token, loading nothing from any other host', async () => {
    const id = busyDebtorId();
    const person = registry.prepare('select name from persons where id = ?').get(id) as { name: string };
    const caseCount = (
      registry.prepare(`select count(*) n from case_parties where person_id = ? and role = 'DEBTOR'`).get(id) as { n: number }
    ).n;
    expect(caseCount).toBeGreaterThan(1);
    const { page, requests, consoleErrors } = await openTab();

    // A browser at the gateway's root is sent to the explorer.
    const landing = await page.goto(`${origin}/`);
    expect(page.url()).toBe(`${origin}/explorer/`);
    expect(landing?.status()).toBe(200);
    expect(landing?.headers()['content-security-policy']).toBe(EXPLORER_CSP);
    await page.locator('.graphiql-container').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('#explorer-status').textContent()).toContain('enter a bearer token');

    // The token, typed into the page, is kept for this tab's session only.
    const token = await tokenFor('川');
    await page.fill('#explorer-token', token);
    await page.click('#explorer-use-token');
    await expect.poll(() => page.locator('#explorer-status').textContent(), { timeout: 20_000 }).toMatch(/^schema loaded: \d+ types/);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('court-graph:token'))).toBe(token);

    // The schema's docs: the documentation explorer lists the query root's fields.
    await page.click('button[aria-label="Show Documentation Explorer"]');
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer').getByText('transferCandidates', { exact: true }).first().waitFor();

    // The README's walk, chosen from the examples, with the debtor's id typed into the variables.
    const walkIndex = await page
      .locator('#explorer-example option')
      .evaluateAll((options) => options.findIndex((o) => o.textContent?.startsWith('DebtorWalk')));
    await page.selectOption('#explorer-example', { index: walkIndex });
    await expect
      .poll(() =>
        page.locator('.graphiql-query-editor .CodeMirror').evaluate((e) => (e as unknown as CodeMirrorHost).CodeMirror.getValue()),
      )
      .toBe(exampleOperations().find((e) => e.name === 'DebtorWalk')!.query);
    const variablesEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await variablesEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ id }));
    await expect
      .poll(() => variablesEditor.evaluate((e) => (e as unknown as CodeMirrorHost).CodeMirror.getValue()))
      .toBe(JSON.stringify({ id }));
    const answered = page.waitForResponse((r) => r.url() === `${origin}/graphql` && r.request().method() === 'POST');
    await page.click('.graphiql-execute-button');
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(response.request().headers().authorization).toBe(`Bearer ${token}`);
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data.debtor.id).toBe(id);
    expect(body.data.debtor.name).toBe(person.name);
    expect(body.data.debtor.cases).toHaveLength(caseCount);
    expect(body.data.debtor.properties.length).toBeGreaterThan(0);
    // And the page shows it.
    await expect
      .poll(() => page.locator('.graphiql-response .CodeMirror').evaluate((e) => (e as unknown as CodeMirrorHost).CodeMirror.getValue()))
      .toContain(`"name": "${person.name}"`);

    // Nothing of the token or GraphiQL's state outside this tab's session: no localStorage, no cookie.
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).localStorage.length)).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.cookie)).toBe('');
    expect(await chromium.context.cookies()).toEqual([]);

    // Every request the page made went to the gateway: the page, its scripts and styles, the examples, the docs, the walk.
    const hosts = new Set(requests.map((r) => new URL(r.url()).origin));
    const elsewhere = requests.map((r) => r.url()).filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
    expect(elsewhere).toEqual([]);
    expect([...hosts].filter((h) => h !== 'null')).toEqual([origin]);
    const paths = requests.map((r) => new URL(r.url()).pathname);
    for (const p of [
      '/explorer/assets/graphiql.js',
      '/explorer/assets/react.js',
      '/explorer/schema.json',
      '/explorer/examples.json',
      '/graphql',
    ])
      expect(paths).toContain(p);
    // No failed request and no Content-Security-Policy violation (chromium reports both as console errors).
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('a new tab of the same session has the token; the token is forgotten on request', async () => {
    const { page } = await openTab();
    await page.goto(`${origin}/explorer/`);
    // sessionStorage is per tab: a new tab starts without the token.
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('court-graph:token'))).toBeNull();
    await page.fill('#explorer-token', await tokenFor('川01'));
    await page.click('#explorer-use-token');
    await expect.poll(() => page.locator('#explorer-status').textContent(), { timeout: 20_000 }).toMatch(/^schema loaded/);
    await page.reload();
    await expect.poll(() => page.locator('#explorer-status').textContent(), { timeout: 20_000 }).toMatch(/^schema loaded/);
    await page.click('#explorer-forget-token');
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('court-graph:token'))).toBeNull();
    expect(await page.inputValue('#explorer-token')).toBe('');
    await page.close();
  });
});

describe('the explorer over plain HTTP', () => {
  it('the schema docs need a token, as /graphql does', async () => {
    const res = await fetch(`${origin}/explorer/schema.json`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('the docs are the API schema, as introspection at /graphql would show it: no federation internals', async () => {
    const res = await fetch(`${origin}/explorer/schema.json`, { headers: { authorization: `Bearer ${await tokenFor('川0105')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { data } = (await res.json()) as {
      data: { __schema: { queryType: { name: string }; types: { name: string; fields?: { name: string }[] }[] } };
    };
    const types = new Map(data.__schema.types.map((t) => [t.name, t]));
    expect(data.__schema.queryType.name).toBe('Query');
    for (const name of ['Debtor', 'Case', 'Court', 'Property', 'Officer']) expect(types.has(name), name).toBe(true);
    for (const name of ['join__Graph', '_Entity', '_Service', 'link__Purpose']) expect(types.has(name), name).toBe(false);
    const rootFields = types.get('Query')!.fields!.map((f) => f.name);
    expect(rootFields).toContain('debtor');
    expect(rootFields).not.toContain('_entities');
    expect(rootFields).not.toContain('_service');
  });

  it('sends a browser at /graphql to the explorer, and leaves clients alone', async () => {
    const browser = await fetch(`${origin}/graphql`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      redirect: 'manual',
    });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/explorer/');
    const client = await fetch(`${origin}/graphql`, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(client.status).toBe(401);
    const curl = await fetch(`${origin}/`, { headers: { accept: '*/*' }, redirect: 'manual' });
    expect(curl.status).toBe(404);
  });

  it('serves only its own files', async () => {
    for (const name of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css', 'explorer.js', 'explorer.css']) {
      const res = await fetch(`${origin}/explorer/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      await res.arrayBuffer();
    }
    for (const name of ['..%2Fpackage.json', 'package.json', '%2E%2E%2F%2E%2E%2Fpackage.json', 'toString'])
      expect((await fetch(`${origin}/explorer/assets/${name}`)).status, name).toBe(404);
  });
});
