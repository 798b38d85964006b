import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { openPropertyControlSqlite } from '../../subgraphs/property-control/sources/sqlite';
import { propertyColumnsFor } from '../../subgraphs/property-control/resolvers/Property';
import { caseHeavyDebtors, WALK_FIELDS } from './run';

/*
 * Issue 18, ADR 33: a debtor's properties read whole and read with the columns the heaviest walk's selection reads,
 * through the property-control source as the subgraph runs it, side by side in one run on one province
 * (bench/README.md). Checks that the narrow rows are the whole rows cut to those columns, then times the two reads
 * interleaved.
 *
 * Usage: npx tsx bench/peers/propertyColumns.ts --data DIR [--debtors 100] [--runs 15]
 */

const { values } = parseArgs({
  options: { data: { type: 'string' }, debtors: { type: 'string', default: '100' }, runs: { type: 'string', default: '15' } },
});
if (!values.data) {
  console.error('--data DIR: a generated province');
  process.exit(2);
}
const dataDir = path.resolve(values.data);
const ids = caseHeavyDebtors(dataDir, Number(values.debtors));
const source = openPropertyControlSqlite(path.join(dataDir, 'property-control.db'), { readonly: true });
try {
  const columns = columnsOfTheWalk();
  const whole = await source.propertiesByOwner(ids, null);
  const narrow = await source.propertiesByOwner(ids, columns);
  const cut = whole.map((list) => list.map((p) => Object.fromEntries(columns.map((c) => [c, p[c]]))));
  const same = JSON.stringify(cut) === JSON.stringify(narrow);
  console.log(`${ids.length} debtors in the most cases, ${path.basename(dataDir)}: ${whole.flat().length} properties`);
  console.log(`columns of the walk's selection: ${columns.join(', ')}; ${same ? 'the whole rows cut to them' : 'DIFFERENT'}`);
  if (!same) process.exitCode = 1;
  const times = { whole: [] as number[], narrow: [] as number[] };
  for (let i = 0; i < Number(values.runs); i++) {
    let t = performance.now();
    await source.propertiesByOwner(ids, null);
    times.whole.push(performance.now() - t);
    t = performance.now();
    await source.propertiesByOwner(ids, columns);
    times.narrow.push(performance.now() - t);
  }
  for (const [k, a] of Object.entries(times)) {
    a.sort((x, y) => x - y);
    console.log(`${k.padEnd(6)}  median ${a[a.length >> 1]!.toFixed(1)} ms, min ${a[0]!.toFixed(1)} ms of ${a.length} interleaved runs`);
  }
} finally {
  await source.close();
}

/** The columns `propertyColumnsFor` gives the walk's `properties` selection (bench/peers/run.ts). */
function columnsOfTheWalk() {
  const operation = parse(`{ debtors { ${WALK_FIELDS} } }`).definitions[0] as OperationDefinitionNode;
  const debtors = operation.selectionSet.selections[0] as FieldNode;
  const properties = debtors.selectionSet!.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'properties')!;
  const columns = propertyColumnsFor({ fieldNodes: [properties], fragments: {} });
  if (!columns) throw new Error('the walk selects a Property field PROPERTY_FIELD_COLUMNS does not name');
  return columns;
}
