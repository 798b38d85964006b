import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CODES, RULES, type CodeOrigin, type RuleOrigin } from '../domain/errorCatalogue';

/** docs/errors.md, generated from the error catalogue (`npm run docs:errors`; CI fails when it is stale). */
export const ERRORS_DOC_PATH = fileURLToPath(new URL('../docs/errors.md', import.meta.url));

const cell = (text: string) => text.replace(/\|/g, '\\|');

const CODE_ORIGINS: Record<CodeOrigin, string> = {
  domain: "a subgraph's rules refuse the request",
  subgraph: 'a subgraph reports its own state',
  gateway: 'the gateway (its edge, its limits, its subgraph calls)',
  engine: 'Apollo Server / the GraphQL engine',
};

const RULE_SECTIONS: Record<RuleOrigin, { title: string; intro: string }> = {
  graph: {
    title: 'Rules checked on requests to the graph',
    intro:
      "A refusal carries `extensions.code` (the rule's code), `extensions.field` (the input, e.g. `input.caseNumbers[2]`) and `extensions.rule`.",
  },
  import: {
    title: 'Rules checked on import files',
    intro:
      'Reported per row by `npm run import` ([import.md](import.md)) with the row, the field and the rule; the rules of the graph above (identifiers, case numbers, dates, amounts) apply to rows too.',
  },
  gateway: {
    title: "Rules of the gateway's operation limits",
    intro: 'Refused before any subgraph is called, with `extensions.code` `OPERATION_LIMIT` and `extensions.rule`.',
  },
};

export function renderErrorsDoc(): string {
  const lines = [
    '# Errors',
    '',
    '<!-- Generated from domain/errorCatalogue.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every error carries a stable `extensions.code`; a refusal of the request also names the input (`extensions.field`)',
    'and the rule it broke (`extensions.rule`). Clients branch on the code and the rule: they never change meaning. Messages',
    'are for people and may be reworded.',
    '',
    'An error whose code is not marked "message kept" reaches a client with a generic message (`internal error`, or',
    '`subgraph <name> failed to answer this part of the query` with code `SOURCE_ERROR`); its details stay in the logs.',
    '',
    '## Codes',
    '',
    '| code | raised by | message kept | meaning |',
    '| --- | --- | --- | --- |',
    ...Object.entries(CODES).map(
      ([code, e]) => `| \`${code}\` | ${CODE_ORIGINS[e.origin]} | ${e.clientSafe ? 'yes' : 'no'} | ${cell(e.meaning)} |`,
    ),
  ];
  for (const [origin, section] of Object.entries(RULE_SECTIONS) as [RuleOrigin, (typeof RULE_SECTIONS)[RuleOrigin]][]) {
    lines.push('', `## ${section.title}`, '', section.intro, '', '| rule | code | meaning |', '| --- | --- | --- |');
    for (const [rule, e] of Object.entries(RULES)) {
      if (e.origin === origin) lines.push(`| \`${rule}\` | \`${e.code}\` | ${cell(e.meaning)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(ERRORS_DOC_PATH, renderErrorsDoc());
  console.log(`wrote ${ERRORS_DOC_PATH}`);
}
