import { devKeyFiles, readPrivateKey, SubgraphTokenSigner, type Viewer } from '../../lib/auth';

/** Who the bench asks as: the high court, as `mintDevToken({ court: '川', role: 'high' })` names it at engine A. */
export const BENCH_VIEWER: Viewer = { sub: 'dev-川', court: '川', role: 'high' };

/** The gateway's signer on DATA_DIR's gateway key: engines B and C sign the same per-subgraph tokens A does. */
export async function benchSigner(dataDir: string): Promise<SubgraphTokenSigner> {
  const { key, kid } = await readPrivateKey(devKeyFiles(dataDir).gatewayPrivate);
  return new SubgraphTokenSigner(key, kid);
}
