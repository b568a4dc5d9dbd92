package dev.extstorage.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.extstorage.config.ConfigException;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.StorageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The installed extensions, fixed at start: ids from configuration plus manifests found in a folder. Requests
 * naming any other extension get {@code 404 EXTENSION_NOT_FOUND}.
 *
 * <p>A manifest is {@code <dir>/<any>/extension.json}: {@code {"publisher", "name", "displayName",
 * "remoteEntry", "sandbox"}}; a relative {@code remoteEntry} is resolved against {@code /extensions/<folder>/}, where the
 * server serves that folder.
 */
public final class ExtensionRegistry {
    private final Map<ExtensionId, InstalledExtension> installed;

    private ExtensionRegistry(Map<ExtensionId, InstalledExtension> installed) {
        this.installed = Collections.unmodifiableMap(installed);
    }

    public static ExtensionRegistry of(Collection<ExtensionId> ids) {
        return load(ids, null);
    }

    public static ExtensionRegistry load(Collection<ExtensionId> ids, Path manifestsDir) {
        Map<ExtensionId, InstalledExtension> map = new LinkedHashMap<>();
        if (manifestsDir != null) {
            for (InstalledExtension e : readManifests(manifestsDir)) {
                map.put(e.id(), e);
            }
        }
        for (ExtensionId id : ids) {
            map.putIfAbsent(id, new InstalledExtension(id, id.id(), null, false));
        }
        return new ExtensionRegistry(map);
    }

    /** @throws StorageException {@code EXTENSION_NOT_FOUND} unless {@code id} is installed */
    public InstalledExtension require(ExtensionId id) {
        InstalledExtension e = installed.get(id);
        if (e == null) {
            throw notFound();
        }
        return e;
    }

    /** Whether {@code id} is installed now. */
    public boolean isInstalled(ExtensionId id) {
        return installed.containsKey(id);
    }

    public List<InstalledExtension> all() {
        return List.copyOf(installed.values());
    }

    private static StorageException notFound() {
        return new StorageException(ErrorCode.EXTENSION_NOT_FOUND, "Extension not found");
    }

    private static List<InstalledExtension> readManifests(Path dir) {
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.sorted()
                    .filter(Files::isDirectory)
                    .map(folder -> folder.resolve("extension.json"))
                    .filter(Files::isRegularFile)
                    .map(manifest -> readManifest(mapper, manifest))
                    .toList();
        } catch (IOException e) {
            throw new ConfigException("Cannot read extension manifests in " + dir + ": " + e.getMessage());
        }
    }

    private static InstalledExtension readManifest(ObjectMapper mapper, Path manifest) {
        try {
            JsonNode m = mapper.readTree(manifest.toFile());
            ExtensionId id = ExtensionId.of(m.path("publisher").asText(null), m.path("name").asText(null));
            String folder = manifest.getParent().getFileName().toString();
            String entry = m.path("remoteEntry").asText("remoteEntry.js");
            if (!entry.startsWith("/") && !entry.contains("://")) {
                entry = "/extensions/" + folder + "/" + entry;
            }
            return new InstalledExtension(id, m.path("displayName").asText(id.id()), entry,
                    m.path("sandbox").asBoolean(false));
        } catch (IOException | StorageException e) {
            throw new ConfigException("Bad extension manifest " + manifest + ": it needs \"publisher\" and \"name\""
                    + " (each 1-64 of a-z 0-9 - _): " + e.getMessage());
        }
    }
}
