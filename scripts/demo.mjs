// npm run demo: the whole assessment of the bundled compliant bank — its OpenAPI description, Kong config, access
// log and attestation answers — plus live probes against the bank simulator, started on 127.0.0.1 for the run.
// Prints the terminal report and writes out/demo/jrt0185-report.{json,html}. Pass --fault NAME to see a probe fail.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startSimulator } = await import(join(root, 'dist/simulator/index.js'));
const { main } = await import(join(root, 'dist/cli/main.js'));

const faults = [];
for (let i = 2; i < process.argv.length; i++) if (process.argv[i] === '--fault') faults.push(...process.argv[++i].split(','));
const sim = await startSimulator({ faults });
// The probe config names environment variables only; the simulator's demo credentials live in its temp folder.
Object.assign(process.env, sim.env);
process.stderr.write(`bank simulator on ${sim.url}${faults.length ? ` with faults: ${faults.join(', ')}` : ' (compliant)'}\n`);
let code;
try {
  code = await main([
    process.argv[0], 'jrt0185', 'assess',
    '--config', join(root, 'fixtures/compliant-bank/jrt0185.config.yaml'),
    '--probe-config', sim.probeConfigFile,
    '--format', 'terminal,json,html',
    '--out', join(root, 'out/demo'),
  ]);
} finally {
  await sim.close();
}
// The demo shows the report; its gate verdict is printed in it and is not the demo's exit status.
process.exitCode = code === 2 || code === 3 ? code : 0;
