/**
 * Drives real python3 botocore (`SigV4Auth` / `SigV4QueryAuth`) through one long-lived worker
 * process speaking JSON lines, so each case costs a request, not a Python start.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REGION, SERVICE, type ClientCredentials } from './keys.js';
import { UNSIGNED_PAYLOAD, type InteropRequest } from './requests.js';
import { parseReply, type Reply } from './send.js';

const script = fileURLToPath(new URL('./botocore-client.py', import.meta.url));

interface WorkerAnswer {
  status?: number;
  body?: string;
  error?: string;
}

export interface BotocoreWorker {
  signAndSend(origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply>;
  stop(): void;
}

/** `mode` picks SigV4Auth (header) or SigV4QueryAuth (presigned URL); `cafile` trusts the test server. */
export function startBotocore(mode: 'header' | 'presign', cafile: string): BotocoreWorker {
  const child: ChildProcessWithoutNullStreams = spawn('python3', [script], { stdio: 'pipe' });
  const waiting: Array<(answer: WorkerAnswer) => void> = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', () => {
    for (const answer of waiting.splice(0)) answer({ error: `botocore worker exited: ${stderr}` });
  });
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(JSON.parse(line) as WorkerAnswer));

  return {
    async signAndSend(origin, request, credentials) {
      const job = {
        method: request.method,
        url: `${origin}${request.target}`,
        headers: { ...request.headers, ...UNSIGNED_PAYLOAD },
        body: request.body,
        credentials,
        region: REGION,
        service: SERVICE,
        mode,
        cafile,
      };
      const answer = await new Promise<WorkerAnswer>((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${JSON.stringify(job)}\n`);
      });
      if (answer.error !== undefined) throw new Error(answer.error);
      return parseReply(answer.status ?? 0, answer.body ?? '');
    },
    stop: () => void child.kill(),
  };
}
