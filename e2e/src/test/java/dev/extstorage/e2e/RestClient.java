package dev.extstorage.e2e;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Reads the server's storage REST API directly, with the browser's own session token, to check that what the
 * page stored really went through the server.
 */
final class RestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;
    private final boolean asCookie;

    private RestClient(String baseUrl, String token, boolean asCookie) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.asCookie = asCookie;
    }

    /** Uses the browser's HttpOnly {@code session} cookie as a bearer token. */
    static RestClient bearerOf(WebDriver browser, String baseUrl) {
        return new RestClient(baseUrl, sessionToken(browser), false);
    }

    /** Sends the browser's {@code session} cookie, as the page does. */
    static RestClient cookieOf(WebDriver browser, String baseUrl) {
        return new RestClient(baseUrl, sessionToken(browser), true);
    }

    private static String sessionToken(WebDriver browser) {
        Cookie session = browser.manage().getCookieNamed("session");
        assertNotNull(session, "the browser holds no session cookie");
        return session.getValue();
    }

    /** {@code GET .../storage/{tier}/{key}}: the {@code result} of a 200 answer. */
    JsonNode get(String extension, String tier, String scope, String key) throws IOException, InterruptedException {
        String url = RestPaths.keyUrl(baseUrl, ExtensionId.parse(extension), Tier.serverTierFromPath(tier), key,
                "shared".equals(scope) ? Scope.SHARED : Scope.USER);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (asCookie) {
            request.header("Cookie", "session=" + token);
        } else {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "GET " + url + " -> " + response.body());
        return JSON.readTree(response.body()).get("result");
    }

    /** Signs {@code user} in through the development login; the bearer token it returns. */
    static String devLogin(String baseUrl, String user) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/dev/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return parse(r.body()).get("token").asText();
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }
}
