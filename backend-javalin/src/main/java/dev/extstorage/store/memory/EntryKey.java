package dev.extstorage.store.memory;

import dev.extstorage.model.Scope;
import dev.extstorage.store.Namespace;

/**
 * The in-process cache's key: the full namespace and key as separate fields, equal only when every part is
 * equal, so no choice of user id or key can make two namespaces meet (as a joined string could).
 */
record EntryKey(String extensionId, Scope scope, String owner, String key) {
    static EntryKey of(Namespace ns, String key) {
        return new EntryKey(ns.extension().id(), ns.scope(), ns.ownerStorageForm(), key);
    }

    MemoryUsage.Owner usageOwner() {
        return new MemoryUsage.Owner(extensionId, scope, owner);
    }
}
