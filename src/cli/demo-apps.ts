/** Starts the example's upstream apps (examples/order-inventory/apps) as child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface App {
  name: string;
  port: number;
  child: ChildProcess;
}

/** The node's environment without its master key: the demo apps are upstreams, not part of latticed. */
export function appEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LATTICED_MASTER_KEY: _key, ...rest } = env;
  return rest;
}

/** Resolves once the app prints that it listens; rejects with its output when it exits first. */
export function startApp(appsDir: string, name: string, port: number, env: NodeJS.ProcessEnv): Promise<App> {
  const child = spawn(process.execPath, [path.join(appsDir, `${name}.js`)], {
    env: { ...appEnvironment(process.env), ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('listening on')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ name, port, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening on ${port}:\n${output.trim()}`)));
  });
}

/** Stops every app when this process exits, however it exits. */
export function stopAppsOnExit(apps: readonly App[]): void {
  process.once('exit', () => {
    for (const a of apps) if (a.child.exitCode === null) a.child.kill('SIGTERM');
  });
}
