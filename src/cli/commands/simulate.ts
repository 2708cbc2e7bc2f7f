import { startSimulator } from '../../simulator/index.js';
import { UsageError } from '../../errors.js';

/** Runs the bank simulator until interrupted; prints its URL and CA certificate path. */
export async function simulateCommand(flags: { port?: string; fault?: string[] }): Promise<number> {
  const port = flags.port === undefined ? undefined : Number(flags.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a port number (got "${flags.port}")`);
  const sim = await startSimulator({ port, faults: flags.fault as never });
  process.stdout.write(`bank simulator listening on ${sim.url}${flags.fault?.length ? ` with faults: ${flags.fault.join(', ')}` : ' (compliant)'}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}
