// Entry of @extension-storage/core ${project.version}: the TeaVM-compiled module plus the version constant,
// which TeaVM cannot export itself (it exports functions and classes only). serveBridge, which
// only hosts call, is in host.js.
export { getContext, createExtensionContext, bindContext, purgeUninstalled } from './extension-storage.js';
export const version = '${project.version}';
