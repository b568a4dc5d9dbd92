// Builds everything the server serves from dist/:
//   dist/index.html, dist/host.js            the host page
//   dist/sandbox.html, dist/sandbox.js       the page a sandboxed extension's frame loads
//   dist/core/index.js                       @extension-storage/core as one self-contained ES module
//   dist/core/host.js                        @extension-storage/core/host, the host's module, likewise
//   dist/extensions/<publisher>.<name>/      each example extension: remoteEntry.js, chunks, extension.json
// and, never shipped, test-dist/extensions/mallory.probe/: the hostile extension of the e2e tests, which copy it
// into a web folder of their own.
const path = require('path');
const fs = require('fs');
const { ModuleFederationPlugin } = require('webpack').container;
const { RawSource } = require('webpack').sources;

const dist = path.resolve(__dirname, 'dist');
const CORE = '@extension-storage/core';

/** Emits files as they are (index.html, extension.json) without pulling in copy/html plugins. */
class EmitFilesPlugin {
  constructor(files) {
    this.files = files; // { 'name in output': 'absolute source path' }
  }

  apply(compiler) {
    compiler.hooks.thisCompilation.tap('EmitFilesPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'EmitFilesPlugin', stage: compilation.constructor.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const [name, source] of Object.entries(this.files)) {
            compilation.fileDependencies.add(source);
            compilation.emitAsset(name, new RawSource(fs.readFileSync(source)));
          }
        },
      );
    });
  }
}

const host = {
  name: 'host',
  mode: 'production',
  context: path.resolve(__dirname, 'host'),
  entry: { host: './src/index.js', sandbox: './src/sandbox.js' },
  devtool: 'source-map',
  output: {
    path: dist,
    filename: '[name].js',
    publicPath: '/',
    uniqueName: 'extension_storage_host',
    // the other builds write core/ and extensions/ into the same folder
    clean: { keep: /^(core|extensions)[\\/]/ },
  },
  plugins: [new EmitFilesPlugin({
    'index.html': path.resolve(__dirname, 'host/index.html'),
    'sandbox.html': path.resolve(__dirname, 'host/sandbox.html'),
  })],
};

// The host imports index.js once per extension, each time from its own URL (?ext=<id>), so every extension
// gets its own module instance and hence its own bound context. The package itself may span several files
// whose relative imports would be shared between those instances, so it is bundled into one file here; so is
// host.js, the host's own module (@extension-storage/core/host: serveBridge, purgeUninstalled).
const core = {
  name: 'core',
  mode: 'production',
  entry: { index: CORE, host: `${CORE}/host` },
  devtool: false,
  experiments: { outputModule: true },
  output: {
    path: path.join(dist, 'core'),
    filename: '[name].js',
    library: { type: 'module' },
    uniqueName: 'extension_storage_core',
    clean: true,
  },
  module: { rules: [{ test: /\.js$/, loader: path.resolve(__dirname, 'build/strip-source-map-url.js') }] },
  // already minified by TeaVM
  optimization: { minimize: false },
};

/**
 * A Module Federation remote exposing './Panel', served from /extensions/<publisher>.<name>/: the source in
 * <sources>/<folder>, the build in <out>/extensions/<publisher>.<name>.
 */
function extension(folder, sources = 'extensions', out = dist) {
  const context = path.resolve(__dirname, sources, folder);
  const manifest = JSON.parse(fs.readFileSync(path.join(context, 'extension.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const containerName = id.replace(/[^a-zA-Z0-9_]/g, '_');
  return {
    name: id,
    mode: 'production',
    context,
    entry: {},
    devtool: 'source-map',
    experiments: { outputModule: true },
    output: {
      path: path.join(out, 'extensions', id),
      publicPath: 'auto',
      uniqueName: containerName,
      chunkFilename: '[name].[contenthash:8].js',
      clean: true,
    },
    plugins: [
      new ModuleFederationPlugin({
        name: containerName,
        filename: 'remoteEntry.js',
        // an ES module: the host imports it and needs no global name
        library: { type: 'module' },
        exposes: { './Panel': './src/Panel.js' },
        // not bundled: the host hands every container its own instance, bound to that extension
        shared: { [CORE]: { import: false, singleton: true, requiredVersion: false } },
      }),
      new EmitFilesPlugin({ 'extension.json': path.join(context, 'extension.json') }),
    ],
  };
}

const all = [host, core, extension('acme-notes'), extension('globex-todo'),
  extension('mallory-probe', 'test-extensions', path.resolve(__dirname, 'test-dist'))];
for (const config of all) {
  config.stats = 'errors-warnings';
}
module.exports = all;
