/**
 * Helpers for tests that start real servers on 127.0.0.1 (not built into dist/: tsconfig.build.json leaves out every
 * testing.ts). test/probe-servers.ts builds its openssl and nginx set-ups on these.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const which = (bin: string): boolean => ['/usr/bin', '/usr/sbin', '/usr/local/bin'].some((d) => existsSync(path.join(d, bin)));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} never opened`);
}
