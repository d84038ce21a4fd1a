/** What `latticed up` prints once it serves: every service's endpoints, the state dir and the access log. */
import type { Snapshot } from '../network/snapshot.js';
import type { NodeStartup } from './up-options.js';

export function bannerLines(snapshot: Snapshot, startup: NodeStartup): string[] {
  const lines = [`serving revision ${snapshot.revision} (hash ${snapshot.hash.slice(0, 12)}) on ${startup.listenAddress}`];
  for (const svc of snapshot.services.values()) {
    const hosts = [svc.dnsName, ...(svc.customDomainName ? [svc.customDomainName] : [])];
    for (const l of svc.listeners.values()) {
      const scheme = l.protocol === 'HTTPS' ? 'https' : 'http';
      lines.push(`  ${svc.name} (${svc.authType}): ${hosts.map((h) => `${scheme}://${h}:${l.port}`).join('  ')}`);
    }
  }
  lines.push(`state dir: ${startup.stateDir}`);
  lines.push(`access log: ${startup.accessLogPath}${startup.accessLogStdout ? ' (and stdout)' : ''}`);
  if (startup.workers > 1) lines.push(`workers: ${startup.workers}`);
  lines.push(`pid ${process.pid}: SIGHUP reloads ${startup.file}, SIGTERM drains and stops`);
  return lines;
}
