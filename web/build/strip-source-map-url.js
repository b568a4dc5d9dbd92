// The package's own source map does not match the re-bundled core/index.js; drop its reference.
module.exports = function stripSourceMapUrl(source) {
  return source.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
};
