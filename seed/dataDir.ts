import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COORDINATION_DB, SYSTEMS } from '../lib/dataFiles';

/*
 * What the seeder may write. It only ever creates a fresh data directory, or regenerates one it generated itself: a
 * directory holding any database the generator did not write is never touched (issue 13, item 1). Two marks say a
 * database is the generator's: the directory's marker file (`.generated`, with the seed, size and version), and, in
 * each database, SQLite's `application_id` header field, which the generator sets and nothing else of the product
 * does, so a real system's file dropped into a generated directory is still told apart.
 */

/** SQLite's `application_id` (header bytes 68-71) in every database the generator writes: "CEG1". */
export const GENERATOR_APPLICATION_ID = 0x43454731;

/** The marker the generator leaves in a data directory it wrote. */
export const GENERATED_MARKER = '.generated';

/** The version of the generator that writes the marker; the marker records it. */
export const GENERATOR_VERSION = 1;

export interface GeneratedMarker {
  generator: 'court-enforcement-graph seed/province.ts';
  version: number;
  seed: number;
  cases: number;
  asOf: string;
  files: string[];
}

export type DataDirState =
  /** Absent, or holds no database at all. */
  | { kind: 'fresh' }
  /** The generator's marker is there and every database in it carries the generator's mark. */
  | { kind: 'generated'; marker: GeneratedMarker }
  /** Holds databases the generator did not write (or wrote without a marker): the seeder never writes here. */
  | { kind: 'foreign'; files: string[] };

/** A database file or one of its companions (`-wal`, `-shm`, `-journal`); the generator's own build files aside. */
const DATABASE_FILE = /\.(db|sqlite|sqlite3)(-wal|-shm|-journal)?$/;

/** The `application_id` of an SQLite file, or null when the file is not an SQLite database. */
export function applicationIdOf(file: string): number | null {
  const header = Buffer.alloc(72);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, header, 0, 72, 0) < 72) return null;
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null;
  return header.readUInt32BE(68);
}

function readMarker(dataDir: string): GeneratedMarker | null {
  const file = path.join(dataDir, GENERATED_MARKER);
  if (!existsSync(file)) return null;
  try {
    const marker = JSON.parse(readFileSync(file, 'utf8')) as GeneratedMarker;
    return marker && typeof marker === 'object' && typeof marker.version === 'number' ? marker : null;
  } catch {
    return null;
  }
}

/** The as-of date the generator recorded for the province in `dataDir` (its marker), else `fallback`. */
export function generatedAsOf(dataDir: string, fallback: string): string {
  return readMarker(dataDir)?.asOf ?? fallback;
}

/**
 * Whether the seeder may write `dataDir`. The coordination subgraph's `coordination.db` is the product's index,
 * rebuilt from the graph by `npm run assess`, and does not decide it; every other database does.
 */
export function inspectDataDir(dataDir: string): DataDirState {
  if (!existsSync(dataDir)) return { kind: 'fresh' };
  if (!statSync(dataDir).isDirectory()) return { kind: 'foreign', files: [dataDir] };
  const coordination = new RegExp(`^${COORDINATION_DB}\\.db(-wal|-shm|-journal)?$`);
  const databases = readdirSync(dataDir).filter((f) => DATABASE_FILE.test(f) && !coordination.test(f));
  if (databases.length === 0) return { kind: 'fresh' };
  const marker = readMarker(dataDir);
  if (!marker) return { kind: 'foreign', files: databases };
  const notOurs = databases.filter((f) => {
    if (!/\.db$/.test(f)) return !databases.includes(f.replace(/-(wal|shm|journal)$/, ''));
    const file = path.join(dataDir, f);
    return !statSync(file).isFile() || applicationIdOf(file) !== GENERATOR_APPLICATION_ID;
  });
  return notOurs.length ? { kind: 'foreign', files: notOurs } : { kind: 'generated', marker };
}

/** Records that the generator wrote `dataDir` (the last step of a successful run). */
export function writeMarker(dataDir: string, run: Omit<GeneratedMarker, 'generator' | 'version' | 'files'>): void {
  const marker: GeneratedMarker = {
    generator: 'court-enforcement-graph seed/province.ts',
    version: GENERATOR_VERSION,
    ...run,
    files: SYSTEMS.map((s) => `${s}.db`),
  };
  writeFileSync(path.join(dataDir, GENERATED_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/** The seeder's refusal to write a data directory holding databases it did not generate. */
export class SeedRefused extends Error {
  constructor(
    readonly dataDir: string,
    readonly files: string[],
  ) {
    super(
      `not seeding ${dataDir}: it holds ${files.join(', ')}, which the generator did not write (no ${GENERATED_MARKER} marker, or a ` +
        `database without the generator's mark). The seeder only creates a fresh data directory; point DATA_DIR at an empty one ` +
        `(npm run seed -- --force overwrites, deliberately)`,
    );
    this.name = 'SeedRefused';
  }
}
