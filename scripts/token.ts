import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COURTS_BY_CODE } from '../domain/sichuan';
import { devKeyFiles, mintClientToken, readPrivateKey } from '../lib/auth';
import { loadConfigOrExit, type Config } from '../lib/config';

/** No development key where a token was to be signed: it would not verify at any gateway. */
export class NoDevelopmentKey extends Error {}

/**
 * Mints a development token with DATA_DIR's development key, which `npm start` creates on that DATA_DIR. Without one it
 * refuses rather than make a key of its own, which no running gateway would know (a DATA_DIR other than the server's).
 */
export async function mintDevToken(
  config: Pick<Config, 'dataDir' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>,
  claims: { court: string; role: string; sub?: string },
  opts: { expiresInSeconds?: number; notBefore?: number } = {},
): Promise<string> {
  const files = devKeyFiles(config.dataDir);
  if (!existsSync(files.clientPrivate))
    throw new NoDevelopmentKey(
      `DATA_DIR: no development signing key in ${path.dirname(files.clientPrivate)}; run npm start on this DATA_DIR first, or set DATA_DIR to the one the gateway serves`,
    );
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
    options: { court: { type: 'string' }, role: { type: 'string' }, sub: { type: 'string' }, hours: { type: 'string' } },
    strict: true,
  });
  const court = values.court ?? '';
  if (!COURTS_BY_CODE.has(court)) {
    console.error(`--court: "${court}" is not a court code of the province (e.g. 川 for the high court, 川01, 川0105)`);
    process.exit(2);
  }
  const role = values.role ?? { HIGH: 'high', INTERMEDIATE: 'intermediate', BASIC: 'basic' }[COURTS_BY_CODE.get(court)!.level];
  const max = config.AUTH_MAX_TOKEN_HOURS;
  const hours = values.hours === undefined ? Math.min(8, max) : Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0 || hours > max) {
    console.error(`--hours: more than 0 and at most ${max}, the longest token the gateway accepts (AUTH_MAX_TOKEN_HOURS)`);
    process.exit(2);
  }
  try {
    process.stdout.write(
      `${await mintDevToken(config, { court, role, sub: values.sub }, { expiresInSeconds: Math.round(hours * 3600) })}\n`,
    );
  } catch (err) {
    if (!(err instanceof NoDevelopmentKey)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
