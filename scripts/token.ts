import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COURTS_BY_CODE } from '../domain/sichuan';
import { devKeyFiles, ensureDevKeys, mintClientToken, readPrivateKey } from '../lib/auth';
import { loadConfigOrExit, type Config } from '../lib/config';

/** Mints a development token with DATA_DIR's development key (created if missing, as `npm start` does). */
export async function mintDevToken(
  config: Pick<Config, 'dataDir' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>,
  claims: { court: string; role: string; sub?: string },
  opts: { expiresInSeconds?: number; notBefore?: number } = {},
): Promise<string> {
  const files = devKeyFiles(config.dataDir);
  if (!existsSync(files.clientPrivate)) await ensureDevKeys(files);
  const signer = await readPrivateKey(files.clientPrivate);
  return mintClientToken(
    signer,
    { sub: claims.sub ?? `dev-${claims.court}`, court: claims.court, role: claims.role },
    { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ...opts },
  );
}

/** `npm run token -- --court 川01 --role intermediate [--sub NAME] [--hours 8]`: prints a development bearer token. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfigOrExit();
  if (config.production) {
    console.error('npm run token mints development tokens only; in production tokens come from the court identity provider');
    process.exit(2);
  }
  const { values } = parseArgs({
    options: { court: { type: 'string' }, role: { type: 'string' }, sub: { type: 'string' }, hours: { type: 'string', default: '8' } },
    strict: true,
  });
  const court = values.court ?? '';
  if (!COURTS_BY_CODE.has(court)) {
    console.error(`--court: "${court}" is not a court code of the province (e.g. 川 for the high court, 川01, 川0105)`);
    process.exit(2);
  }
  const role = values.role ?? { HIGH: 'high', INTERMEDIATE: 'intermediate', BASIC: 'basic' }[COURTS_BY_CODE.get(court)!.level];
  const hours = Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24) {
    console.error('--hours: between 0 and 24');
    process.exit(2);
  }
  process.stdout.write(`${await mintDevToken(config, { court, role, sub: values.sub }, { expiresInSeconds: Math.round(hours * 3600) })}\n`);
}
