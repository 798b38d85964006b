import { postgresSettingsFor, type DatabaseSettings } from '../../lib/database';
import { databaseFile } from '../../lib/dataFiles';
import { openRosterCopy } from '../../subgraphs/case-registry/sources/rosterCopy';

/**
 * The roster job (ADR 14): reads every court's active officers from the personnel roster through the gateway and
 * replaces the registry's copy (officer → court), which the transfer workflow checks supervisors and note authors
 * against. A client of the graph like the assessment pass; no subgraph calls another. Run when the graph starts (the
 * launcher, for a registry it hosts) and by `npm run assess`; a roster that does not answer leaves the last copy.
 */
const ROSTER = /* GraphQL */ `
  {
    courts {
      code
      officers {
        id
      }
    }
  }
`;

export async function copyRoster(
  gatewayUrl: string,
  token: string,
  dataDir: string,
  /** The store settings: the registry's copy goes to its PostgreSQL database when CASE_REGISTRY_DATABASE_URL names one. */
  databases?: DatabaseSettings,
): Promise<{ officers: number; courts: number }> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: ROSTER }),
  });
  const body = (await res.json()) as {
    data?: { courts: { code: string; officers: { id: string }[] | null }[] };
    errors?: { message: string }[];
  };
  if (!res.ok || body.errors?.length || !body.data) {
    throw new Error(`roster copy: the gateway answered ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  }
  const { courts } = body.data;
  // A partial answer would drop a court's officers from the copy: keep the last copy instead.
  if (courts.some((c) => c.officers === null)) throw new Error('roster copy: the personnel roster did not answer for every court');
  const officers = courts.flatMap((c) => c.officers!.map((o) => ({ id: o.id, courtCode: c.code })));
  const store = openRosterCopy(databaseFile(dataDir, 'case-registry'), postgresSettingsFor(databases, 'case-registry'));
  try {
    await store.replace(officers, new Date().toISOString());
  } finally {
    await store.close();
  }
  return { officers: officers.length, courts: courts.length };
}
