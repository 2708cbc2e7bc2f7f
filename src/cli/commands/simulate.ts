import { runSimulator } from '../../simulator/main.js';
import { FAULTS, type Fault } from '../../simulator/index.js';
import { UsageError } from '../../errors.js';

/** Runs the bank simulator until interrupted; prints its URLs, the env file and a ready probe config. */
export async function simulateCommand(flags: { port?: string; httpPort?: string; fault?: string[]; template?: string[] }): Promise<number> {
  const port = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${name} must be a port number (got "${v}")`);
    return n;
  };
  const faults = (flags.fault ?? []).flatMap((f) => f.split(',')).filter(Boolean);
  for (const f of faults) if (!FAULTS.includes(f as Fault)) throw new UsageError(`unknown fault "${f}" (known: ${FAULTS.join(', ')})`);
  const close = await runSimulator(
    { faults: faults as Fault[], port: port('--port', flags.port), httpPort: port('--http-port', flags.httpPort), templates: flags.template },
    (line) => process.stdout.write(`${line}\n`),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await close();
  return 0;
}
