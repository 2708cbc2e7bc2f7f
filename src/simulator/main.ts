/**
 * `npm run simulator -- [--fault NAME]... [--port N] [--http-port N]` (or `jrt0185 simulate`): starts the bank
 * simulator, prints its URLs, the environment a probe config needs and a ready config file, and runs until
 * interrupted.
 */
import { FAULTS, startSimulator, type Fault } from './index.js';
import { loadSigningTemplate, presetTemplate, type SigningTemplate } from '../collectors/probe/template.js';

export interface SimulateArgs {
  faults: Fault[];
  /** Signing presets (by name) or template files the simulator verifies besides its built-in schemes. */
  templates?: string[];
  port?: number;
  httpPort?: number;
}

export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const out: SimulateArgs = { faults: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--fault' || a === '--faults') {
      for (const f of value().split(',')) {
        if (!FAULTS.includes(f as Fault)) throw new Error(`unknown fault "${f}"; known faults: ${FAULTS.join(', ')}`);
        out.faults.push(f as Fault);
      }
    } else if (a === '--template') (out.templates ??= []).push(value());
    else if (a === '--port') out.port = Number(value());
    else if (a === '--http-port') out.httpPort = Number(value());
    else throw new Error(`unknown option ${a} (options: --fault NAME[,NAME], --template PRESET|FILE, --port N, --http-port N)`);
  }
  return out;
}

export async function runSimulator(args: SimulateArgs, print: (line: string) => void = console.log): Promise<() => Promise<void>> {
  const templates = await resolveTemplates(args.templates ?? []);
  const sim = await startSimulator({ faults: args.faults, port: args.port, httpPort: args.httpPort, templates });
  print(`bank simulator listening: ${sim.url} (plain HTTP ${sim.httpUrl})`);
  print(`faults: ${sim.faults.length ? sim.faults.join(', ') : 'none (compliant)'}`);
  if (templates.length) print(`signing templates verified: ${templates.map((t) => t.name).join(', ')}`);
  // The demo credentials go to a 0600 file, not the terminal: `source` it in the shell that runs the probes.
  print(`environment for the probe config (${Object.keys(sim.env).join(', ')}): source ${sim.envFile}`);
  print(`probe config: ${sim.probeConfigFile}`);
  print(`try: jrt0185 assess --probe-config ${sim.probeConfigFile} --level A2`);
  return () => sim.close();
}

/** A name is a preset (presets/signing/NAME.yaml); anything with a slash or a .yaml/.yml ending is a template file. */
export async function resolveTemplates(refs: string[]): Promise<SigningTemplate[]> {
  return Promise.all(refs.map((r) => (/[/\\]|\.ya?ml$/i.test(r) ? loadSigningTemplate(r) : Promise.resolve(presetTemplate(r, '--template')))));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
// An async function rather than a top-level await: the command line is also bundled as one CommonJS script
// (scripts/build-bundle.mjs, for V8's code cache), which cannot hold a top-level await.
if (invokedDirectly) {
  void (async () => {
    try {
      const close = await runSimulator(parseSimulateArgs(process.argv.slice(2)));
      const stop = () => {
        void close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    } catch (e) {
      console.error(`simulator: ${(e as Error).message}`);
      process.exit(2);
    }
  })();
}
