/**
 * The one build: Electron main + preload bundles and the renderer bundle.
 * `node esbuild.config.ts [--renderer-only] [--watch] [--production]`
 *
 * The core itself needs no build for Node (web host, tests, bench run the
 * TypeScript sources with Node's type stripping); Electron gets a bundle.
 */
import * as esbuild from 'esbuild';
import { cp, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(root, 'dist');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common: esbuild.BuildOptions = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

const renderer: esbuild.BuildOptions = {
  ...common,
  entryPoints: { main: 'renderer/main.tsx' },
  outdir: path.join(out, 'renderer'),
  platform: 'browser',
  format: 'esm',
  target: ['chrome130'],
  jsx: 'automatic',
  loader: { '.svg': 'text' },
};

const electronMain: esbuild.BuildOptions = {
  ...common,
  entryPoints: { index: 'main/index.ts' },
  outdir: path.join(out, 'main'),
  outExtension: { '.js': '.mjs' },
  platform: 'node',
  format: 'esm',
  target: ['node22'],
  // Native and Electron-provided modules stay outside the bundle.
  external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

const preload: esbuild.BuildOptions = {
  ...common,
  entryPoints: { index: 'preload/index.ts' },
  outdir: path.join(out, 'preload'),
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  // A sandboxed preload is a single CommonJS file that may require only 'electron'.
  format: 'cjs',
  target: ['node22'],
  external: ['electron'],
};

async function copyStatic(): Promise<void> {
  await mkdir(path.join(out, 'renderer'), { recursive: true });
  await cp(path.join(root, 'renderer/index.html'), path.join(out, 'renderer/index.html'));
  await cp(path.join(root, 'renderer/styles.css'), path.join(out, 'renderer/styles.css'));
}

const builds = args.has('--renderer-only') ? [renderer] : [renderer, electronMain, preload];

if (args.has('--watch')) {
  await copyStatic();
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  await copyStatic();
}
