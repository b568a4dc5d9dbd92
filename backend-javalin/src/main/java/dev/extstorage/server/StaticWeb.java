package dev.extstorage.server;

import io.javalin.config.StaticFilesConfig;
import io.javalin.http.staticfiles.Location;

import java.nio.file.Path;
import java.util.Map;

/**
 * The web folder served at {@code /}: the host page, the sandbox page, the module ({@code /core/}) and the
 * extension bundles ({@code /extensions/}). Those two folders also answer {@code Access-Control-Allow-Origin: *}:
 * a sandboxed extension's frame has an opaque origin ({@code null}), so its module scripts and their chunks are
 * cross-origin CORS fetches (SPEC section 12). They are public code without credentials, so any origin may read
 * them; nothing else (the API above all) gets the header.
 */
final class StaticWeb {
    /** The folders of the web folder that any origin may load. */
    static final String[] CROSS_ORIGIN = {"/core/", "/extensions/"};

    private StaticWeb() {
    }

    static void serve(StaticFilesConfig files, Path webDir) {
        String dir = webDir.toAbsolutePath().toString();
        files.add(sf -> {
            sf.hostedPath = "/";
            sf.directory = dir;
            sf.location = Location.EXTERNAL;
            sf.headers = Map.of("Access-Control-Allow-Origin", "*");
            sf.skipFileFunction = request -> !crossOrigin(request.getRequestURI());
        });
        files.add(sf -> {
            sf.hostedPath = "/";
            sf.directory = dir;
            sf.location = Location.EXTERNAL;
            sf.skipFileFunction = request -> crossOrigin(request.getRequestURI());
        });
    }

    static boolean crossOrigin(String path) {
        for (String folder : CROSS_ORIGIN) {
            if (path.startsWith(folder)) {
                return true;
            }
        }
        return false;
    }
}
