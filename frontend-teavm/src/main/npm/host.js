// Entry of @extension-storage/core/host ${project.version}, for host pages only: serveBridge and purgeUninstalled,
// compiled by TeaVM into a module of their own so that the module every extension loads does not carry them.
export { serveBridge, purgeUninstalled } from './extension-storage-host.js';
