/** A closed-loop load generator over keep-alive connections (undici), counting every failure. */
import { Pool } from 'undici';

export interface Load {
  /** Stops issuing requests and resolves once those in flight finish. */
  stop(): Promise<{ ok: number; failed: number; failures: string[] }>;
  readonly ok: number;
}

export function startLoad(port: number, path: string, headers: Record<string, string>, concurrency = 8): Load {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency, pipelining: 1 });
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        const res = await pool.request({ method: 'GET', path, headers });
        await res.body.text();
        if (res.statusCode === 200) ok++;
        else failures.push(`HTTP ${res.statusCode}`);
      } catch (e) {
        failures.push(String(e));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    get ok() {
      return ok;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      await pool.close();
      return { ok, failed: failures.length, failures: failures.slice(0, 5) };
    },
  };
}
