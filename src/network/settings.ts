/** The `node` section with its defaults (docs/configuration.md "node"). */
import { resolve } from 'node:path';
import type { NodeConfig } from './config-types.js';
import type { NodeSettings } from './snapshot.js';

export const NODE_DEFAULTS = {
  listenAddress: '127.0.0.1',
  workers: 1,
  accessLog: { stdout: false, bufferBytes: 131072 },
  verifiedSignatureCacheSize: 10000,
  allowPathParameters: false,
  http1FastPath: true,
  limits: { maxHeaderBytes: 65536, maxHeaderCount: 200, maxRequestIdBytes: 512 },
  timeouts: {
    requestTimeoutSeconds: 60,
    headersTimeoutSeconds: 10,
    idleTimeoutSeconds: 60,
    upstreamConnectTimeoutSeconds: 10,
    shutdownGraceSeconds: 30,
  },
} as const;

export function resolveSettings(node: NodeConfig | undefined, baseDir: string): NodeSettings {
  const n = node ?? {};
  const file = n.accessLog?.file;
  return Object.freeze({
    listenAddress: n.listenAddress ?? NODE_DEFAULTS.listenAddress,
    workers: n.workers ?? NODE_DEFAULTS.workers,
    ...(n.stateDir === undefined ? {} : { stateDir: resolve(baseDir, n.stateDir) }),
    accessLog: Object.freeze({
      ...(file === undefined ? {} : { file: resolve(baseDir, file) }),
      stdout: n.accessLog?.stdout ?? NODE_DEFAULTS.accessLog.stdout,
      bufferBytes: n.accessLog?.bufferBytes ?? NODE_DEFAULTS.accessLog.bufferBytes,
    }),
    verifiedSignatureCacheSize: n.verifiedSignatureCacheSize ?? NODE_DEFAULTS.verifiedSignatureCacheSize,
    allowPathParameters: n.allowPathParameters ?? NODE_DEFAULTS.allowPathParameters,
    http1FastPath: n.http1FastPath ?? NODE_DEFAULTS.http1FastPath,
    limits: Object.freeze({ ...NODE_DEFAULTS.limits, ...n.limits }),
    timeouts: Object.freeze({ ...NODE_DEFAULTS.timeouts, ...n.timeouts }),
  });
}
