/**
 * `latticed demo` (`npm start`): the order-inventory example end to end. It starts the two echo apps,
 * gives order-service its own role credentials (minted by src/iam, as `latticed credentials` would),
 * serves examples/order-inventory/latticed.yaml with `latticed up`, and prints what to paste.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STATE_DIR, loadMasterKey, mintSessionCredentials } from '../iam/index.js';
import type { DemoOptions } from './demo.js';
import { startApp, stopAppsOnExit, type App } from './demo-apps.js';
import { guideLines } from './demo-guide.js';
import { loadCandidate } from './up-node.js';
import { resolveStartup } from './up-options.js';
import { up } from './up-run.js';
import { describeError } from './up-reload.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const exampleDir = path.join(packageRoot, 'examples/order-inventory');
/** The demo's fixed ports (docs/operations.md): the apps; the listener's is in latticed.yaml. */
export const DEMO_APP_PORTS = { 'inventory-service': 9001, 'order-service': 9002 } as const;
/** order-service's identity; the demo mints its session for the role's maximum duration. */
const APP_ROLE = 'order-service-role';

export async function demo(o: DemoOptions): Promise<void> {
  const file = path.join(exampleDir, 'latticed.yaml');
  let first;
  try {
    first = await loadCandidate(file, 1);
  } catch (e) {
    process.stderr.write(`${describeError(e)}\n`);
    process.exitCode = 1;
    return;
  }
  const startup = resolveStartup({ file, stateDir: o.stateDir }, first.snapshot.settings, DEFAULT_STATE_DIR);
  fs.mkdirSync(startup.stateDir, { recursive: true, mode: 0o700 });
  const role = [...first.snapshot.iam.roles.values()].find((r) => r.name === APP_ROLE);
  if (!role) throw new Error(`${file} has no role ${APP_ROLE}`);
  const account = first.snapshot.iam.accounts.get(role.account);
  if (!account) throw new Error(`${file} has no account ${role.account}`);
  const masterKey = await loadMasterKey({ env: process.env, stateDir: startup.stateDir });
  const creds = mintSessionCredentials({ role, account, sessionName: 'order-service', durationSeconds: role.maxSessionDurationSeconds }, masterKey);
  const listenerPort = [...first.snapshot.ports.keys()][0]!;
  const apps: App[] = [];
  stopAppsOnExit(apps);
  const appsDir = path.join(exampleDir, 'apps');
  try {
    apps.push(await startApp(appsDir, 'inventory-service', DEMO_APP_PORTS['inventory-service'], {}));
    apps.push(
      await startApp(appsDir, 'order-service', DEMO_APP_PORTS['order-service'], {
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        AWS_SESSION_TOKEN: creds.sessionToken,
        AWS_REGION: first.snapshot.region,
        LATTICED: `${startup.listenAddress}:${listenerPort}`,
      }),
    );
  } catch (e) {
    process.stderr.write(`latticed demo: ${describeError(e)}\n(the demo uses ports ${Object.values(DEMO_APP_PORTS).join(', ')} and ${listenerPort}; is another demo running?)\n`);
    process.exit(1);
  }
  const started = await up({ file, stateDir: startup.stateDir });
  if (!started) process.exit(1);
  const guide = guideLines({
    exampleDir,
    configFile: file,
    stateDir: started.stateDir,
    accessLog: started.accessLogPath,
    listenAddress: started.listenAddress,
    listenerPort,
    region: first.snapshot.region,
    apps: apps.map((a) => ({ name: a.name, port: a.port })),
  });
  process.stdout.write(guide.join('\n') + '\n');
}
