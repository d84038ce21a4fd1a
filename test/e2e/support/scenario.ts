/** One running scenario: an upstream, a configuration on free ports, and the real latticed in front. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testConfig, writeConfig, USER_SECRET, USER_SECRET_ENV, type TestPorts } from './config.js';
import { startLatticed, type LatticedProcess } from './latticed.js';
import { freePorts } from './ports.js';
import { startUpstream, type Upstream } from './upstream.js';

export interface Scenario {
  dir: string;
  configFile: string;
  stateDir: string;
  accessLog: string;
  ports: TestPorts;
  upstream: Upstream;
  latticed: LatticedProcess;
  /** Host names of the scenario's services. */
  hosts: { inventory: string; grpc: string };
  stop(): Promise<void>;
}

export interface ScenarioOptions {
  /** Extra `latticed up` arguments (e.g. --workers 2). */
  args?: string[];
  /** The gRPC upstream's port, when the test runs one. */
  grpcUpstream?: number;
}

export async function startScenario(o: ScenarioOptions = {}): Promise<Scenario> {
  const upstream = await startUpstream();
  const [http, grpc, grpcUpstream] = await freePorts(3);
  const ports: TestPorts = { http: http!, grpc: grpc!, upstream: upstream.port, grpcUpstream: o.grpcUpstream ?? grpcUpstream! };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-e2e-'));
  const configFile = path.join(dir, 'latticed.json');
  const stateDir = path.join(dir, 'state');
  const accessLog = path.join(dir, 'access.log');
  writeConfig(configFile, testConfig(ports));
  const latticed = await startLatticed(['-f', configFile, '--state-dir', stateDir, '--access-log', accessLog, ...(o.args ?? [])], {
    [USER_SECRET_ENV]: USER_SECRET,
  });
  return {
    dir,
    configFile,
    stateDir,
    accessLog,
    ports,
    upstream,
    latticed,
    hosts: { inventory: 'inventory.shop.internal', grpc: 'grpc.shop.internal' },
    async stop() {
      await latticed.stop();
      await upstream.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The access log's records (after latticed flushed it on SIGTERM). */
export function readAccessLog(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
