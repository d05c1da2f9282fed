/**
 * electron-builder.yml, checked here since packaging itself cannot run on the
 * offline build machines: it must satisfy the schema of the installed
 * electron-builder (app-builder-lib/scheme.json, validated with the ajv options
 * electron-builder itself uses) and carry what Parley needs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { Ajv, type AnySchemaObject } from 'ajv';
import { load } from 'js-yaml';

const root = new URL('../../', import.meta.url);
const require = createRequire(import.meta.url);

/** The schema that belongs to the installed electron-builder, resolved the way electron-builder resolves it. */
function builderSchema(): AnySchemaObject {
  const fromBuilder = createRequire(require.resolve('electron-builder'));
  return JSON.parse(readFileSync(fromBuilder.resolve('app-builder-lib/scheme.json'), 'utf8')) as AnySchemaObject;
}

// Same options as app-builder-lib/out/util/config/schemaValidator.js.
const validate = new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(builderSchema());

type Target = string | { target: string };
interface PlatformConfig {
  target?: Target | Target[];
  category?: string;
  hardenedRuntime?: boolean;
  maintainer?: string;
  synopsis?: string;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string };
  files?: string[];
  asarUnpack?: string | string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  linux?: PlatformConfig;
  win?: PlatformConfig;
  mac?: PlatformConfig;
}

function readConfig(): BuilderConfig {
  return load(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as BuilderConfig;
}

function check(config: unknown): string[] {
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

function targets(platform: PlatformConfig | undefined): string[] {
  const list = platform?.target === undefined ? [] : [platform.target].flat();
  return list.map((t) => (typeof t === 'string' ? t : t.target));
}

describe('electron-builder.yml', () => {
  const config = readConfig();

  it('is valid against the schema of the installed electron-builder', () => {
    assert.deepEqual(check(structuredClone(config)), []);
  });

  it('names the app', () => {
    assert.equal(config.appId, 'org.parley.Parley');
    assert.equal(config.productName, 'Parley');
    assert.equal(config.directories?.output, 'release');
  });

  it('builds AppImage + deb, NSIS and DMG', () => {
    assert.deepEqual(targets(config.linux).sort(), ['AppImage', 'deb']);
    assert.deepEqual(targets(config.win), ['nsis']);
    assert.deepEqual(targets(config.mac), ['dmg']);
    assert.equal(config.linux?.category, 'Network;InstantMessaging');
    assert.ok(config.linux.maintainer, 'a deb needs a maintainer');
    assert.ok(config.linux.synopsis);
    assert.equal(config.mac?.category, 'public.app-category.social-networking');
    assert.equal(config.mac.hardenedRuntime, true);
  });

  it('unpacks better-sqlite3 from the asar and rebuilds it for Electron at packaging time', () => {
    assert.ok([config.asarUnpack ?? []].flat().includes('**/node_modules/better-sqlite3/**'));
    assert.notEqual(config.npmRebuild, false);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts?: Record<string, string> };
    for (const name of ['preinstall', 'install', 'postinstall']) {
      assert.doesNotMatch(pkg.scripts?.[name] ?? '', /electron-builder|electron-rebuild|install-app-deps/u);
    }
  });

  it('packs the bundles and package.json, not the sources or source maps', () => {
    const files = config.files ?? [];
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { main?: string };
    assert.equal(pkg.main, 'dist/main/index.mjs');
    assert.ok(files.includes('package.json'));
    assert.ok(files.includes('dist/**/*'));
    assert.ok(files.includes('!dist/**/*.map'));
    const included = files.filter((f) => !f.startsWith('!'));
    assert.deepEqual(
      included.filter((f) => /^(main|preload|renderer|test)\b|\.tsx?$/u.test(f)),
      [],
      'no sources or tests in the package',
    );
  });

  it('turns off the Electron fuses that would let Node or the inspector in', () => {
    assert.equal(config.electronFuses?.runAsNode, false);
    assert.equal(config.electronFuses.enableNodeOptionsEnvironmentVariable, false);
    assert.equal(config.electronFuses.enableNodeCliInspectArguments, false);
    assert.equal(config.electronFuses.onlyLoadAppFromAsar, true);
  });

  it('the schema check rejects a broken file (unknown or misplaced keys, wrong types)', () => {
    assert.notDeepEqual(check({ ...structuredClone(config), appIdentifier: 'x' }), []);
    assert.notDeepEqual(check({ ...structuredClone(config), linux: { ...config.linux, hardenedRuntime: true } }), []);
    assert.notDeepEqual(check({ ...structuredClone(config), asarUnpack: { better: 'sqlite3' } }), []);
  });
});
