#!/usr/bin/env node
// The command-line program bundled into a few files (dist/bundle/, scripts/build-bundle.mjs): start-up is most of a
// small CI run or a one-endpoint probe. A build without the bundle (tsc alone) runs the separate modules in dist/.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');

process.exitCode = await main(process.argv);
