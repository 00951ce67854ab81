package com.groupbuy.market.config.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.trade.model.valobj.TeamVO;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.types.enums.ResponseCode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.MethodParameter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI description is generated from the running controllers and says everything a partner needs: every
 * endpoint the service maps and every field of every body it reads or answers is in it (a new endpoint or field
 * fails this test until it is described), the two shapes of {@code outTradeTime}, {@code teamId} null or "", examples
 * the service accepts, and a line of advice for every code.
 */
@SharedContextIntegrationTest
class OpenApiDescriptionIT {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final HttpClient http = HttpClient.newHttpClient();
    private JsonNode doc;

    @BeforeEach
    void readTheDescription() throws Exception {
        HttpResponse<String> answer = get("/v3/api-docs");
        assertThat(answer.statusCode()).isEqualTo(200);
        doc = TestJson.JSON.readTree(answer.body());
    }

    @Test
    void everyEndpointTheServiceMapsIsDescribed() {
        List<String> missing = new ArrayList<>();
        int seen = 0;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : ours()) {
            for (String path : entry.getKey().getPatternValues()) {
                for (var method : entry.getKey().getMethodsCondition().getMethods()) {
                    seen++;
                    if (doc.path("paths")
                            .path(path)
                            .path(method.name().toLowerCase())
                            .isMissingNode()) {
                        missing.add(method + " " + path);
                    }
                }
            }
        }
        assertThat(seen).as("endpoints found").isGreaterThanOrEqualTo(10);
        assertThat(missing).as("endpoints missing from /v3/api-docs").isEmpty();
        assertThat(doc.path("paths").has("/actuator/health")).isFalse();
    }

    @Test
    void everyFieldOfEveryBodyIsDescribed() {
        Set<Class<?>> bodies = new HashSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : ours()) {
            HandlerMethod handler = entry.getValue();
            for (MethodParameter parameter : handler.getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    collect(parameter.getGenericParameterType(), bodies);
                }
            }
            collect(handler.getReturnType().getGenericParameterType(), bodies);
        }
        assertThat(bodies)
                .extracting(Class::getSimpleName)
                .contains(
                        "LockMarketPayOrderRequestDTO",
                        "SettlementMarketPayOrderResponseDTO",
                        "Goods",
                        "NotifyConfigVO",
                        "NotifyTaskSummaryVO");

        JsonNode schemas = doc.path("components").path("schemas");
        List<String> missing = new ArrayList<>();
        for (Class<?> body : bodies) {
            // A generic class (AdminPage<T>) is one schema per use: AdminPageActivityAdminVO, AdminPageTeamView, ...
            List<String> names = new ArrayList<>();
            schemas.fieldNames().forEachRemaining(name -> {
                if (body.getTypeParameters().length == 0
                        ? name.equals(body.getSimpleName())
                        : name.startsWith(body.getSimpleName())
                                && name.length() > body.getSimpleName().length()) {
                    names.add(name);
                }
            });
            if (names.isEmpty()) {
                missing.add(body.getSimpleName());
            }
            for (String name : names) {
                JsonNode properties = schemas.path(name).path("properties");
                for (String field : fieldsOf(body)) {
                    if (!properties.has(field)) {
                        missing.add(name + "." + field);
                    }
                }
            }
        }
        assertThat(missing).as("fields missing from the description's schemas").isEmpty();

        // The envelope: every Response... schema has exactly code, info and data.
        for (Iterator<String> names = schemas.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith("Response")) {
                assertThat(fieldNames(schemas.path(name).path("properties")))
                        .as(name)
                        .containsExactlyInAnyOrder("code", "info", "data");
            }
        }
    }

    @Test
    void outTradeTimeHasItsTwoShapesAndTeamIdMayBeNullOrEmpty() {
        JsonNode schemas = doc.path("components").path("schemas");
        JsonNode time = schemas.path("SettlementMarketPayOrderRequestDTO")
                .path("properties")
                .path("outTradeTime");
        assertThat(time.path("oneOf")).hasSize(2);
        assertThat(time.path("oneOf").get(0).path("type").asText()).isEqualTo("string");
        assertThat(time.path("oneOf").get(0).path("pattern").asText()).isEqualTo(PartnerFieldDocs.TIME_PATTERN);
        // The served pattern takes both string shapes the service reads, spaces around them included
        // (OutTradeTimeSchemaTest holds it to the parser).
        Pattern timeShape =
                Pattern.compile(time.path("oneOf").get(0).path("pattern").asText());
        for (String taken :
                List.of("2026-11-22 21:00:00", "1795870800000", " 2026-11-22 21:00:00 ", " 1795870800000 ")) {
            assertThat(timeShape.matcher(taken).find()).as(taken).isTrue();
        }
        assertThat(time.path("oneOf").get(0).path("maxLength").asInt()).isEqualTo(32);
        assertThat(time.path("oneOf").get(1).path("type").asText()).isEqualTo("integer");
        assertThat(time.path("oneOf").get(1).path("format").asText()).isEqualTo("int64");
        assertThat(schemas.path("SettlementMarketPayOrderRequestDTO")
                        .path("required")
                        .toString())
                .contains("outTradeTime");

        JsonNode teamId =
                schemas.path("LockMarketPayOrderRequestDTO").path("properties").path("teamId");
        assertThat(teamId.path("nullable").asBoolean()).isTrue();
        assertThat(teamId.path("maxLength").asInt()).isEqualTo(8);
        assertThat(teamId.path("description").asText()).contains("null or \"\"");
        assertThat(schemas.path("LockMarketPayOrderRequestDTO").path("required").toString())
                .doesNotContain("teamId")
                .contains("activityId", "outTradeNo");
        assertThat(schemas.path("LockMarketPayOrderRequestDTO")
                        .path("properties")
                        .path("activityId")
                        .path("format")
                        .asText())
                .isEqualTo("int64");
        assertThat(schemas.path("Goods")
                        .path("properties")
                        .path("payPrice")
                        .path("type")
                        .asText())
                .isEqualTo("number");
    }

    @Test
    void aTeamsCountdownIsDescribedAsTheServiceWritesIt() {
        JsonNode schemas = doc.path("components").path("schemas");
        // A team's countdown: hours not capped at 24 (TeamVO writes 36:00:00, and three digits from 100 h).
        JsonNode countdown = schemas.path("Team").path("properties").path("validTimeCountdown");
        assertThat(countdown.path("pattern").asText())
                .as("validTimeCountdown's pattern")
                .isNotEmpty();
        Pattern countdownShape = Pattern.compile(countdown.path("pattern").asText());
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        for (Duration left : List.of(
                Duration.ZERO,
                Duration.ofMinutes(-5),
                Duration.ofSeconds(3599),
                Duration.ofHours(36),
                Duration.ofHours(100).plusSeconds(59))) {
            String written =
                    TeamVO.builder().validEndTime(now.plus(left)).build().countdown(now);
            assertThat(countdownShape.matcher(written).find()).as(written).isTrue();
        }
        assertThat(countdown.path("description").asText()).contains("not capped", "100:00:00");
    }

    @Test
    void everyRequestExampleIsReadByTheServiceAndEveryAnswerExampleIsAnEnvelope() throws Exception {
        int requests = 0;
        for (String path : PartnerExamples.BY_PATH.keySet()) {
            JsonNode post = doc.path("paths").path(path).path("post");
            JsonNode examples = post.path("requestBody")
                    .path("content")
                    .path("application/json")
                    .path("examples");
            assertThat(examples.size()).as(path).isGreaterThanOrEqualTo(1);
            for (JsonNode example : examples) {
                JsonNode answer =
                        TestJson.postEnvelope(port, path, example.path("value").toString());
                requests++;
                // Read strictly and past validation: the example's shape is one the service takes.
                assertThat(answer.path("code").asText())
                        .as(path + " " + example)
                        .isNotEqualTo("0002");
            }
            JsonNode answers = post.path("responses")
                    .path("200")
                    .path("content")
                    .path("application/json")
                    .path("examples");
            assertThat(answers.size()).as(path).isGreaterThanOrEqualTo(2);
            for (JsonNode example : answers) {
                assertThat(fieldNames(example.path("value"))).containsExactly("code", "info", "data");
            }
        }
        assertThat(requests).isGreaterThanOrEqualTo(7);
    }

    @Test
    void theDescriptionCarriesTheCodeTableWithAdviceForEveryCode() {
        String description = doc.path("info").path("description").asText();
        for (ResponseCode code : ResponseCode.values()) {
            assertThat(PartnerCodeAdvice.of(code))
                    .as("advice for " + code.getCode() + " in PartnerCodeAdvice")
                    .isNotBlank();
            assertThat(description).contains(PartnerCodeAdvice.row(code));
        }
    }

    @Test
    void adminEndpointsNameTheAdminToken() {
        JsonNode tasks =
                doc.path("paths").path("/api/v1/gbm/admin/notify/tasks").path("get");
        assertThat(tasks.path("security").toString()).contains(OpenApiConfig.ADMIN_TOKEN);
        assertThat(doc.path("components")
                        .path("securitySchemes")
                        .path(OpenApiConfig.ADMIN_TOKEN)
                        .path("name")
                        .asText())
                .isEqualTo("X-Admin-Token");
        assertThat(doc.path("paths").path(PartnerExamples.LOCK).path("post").has("security"))
                .isFalse();
    }

    @Test
    void swaggerUiIsServedAtAStablePath() throws Exception {
        HttpResponse<String> entry = get("/swagger-ui.html");
        assertThat(entry.statusCode()).isEqualTo(302);
        assertThat(entry.headers().firstValue("Location").orElse("")).endsWith("/swagger-ui/index.html");
        HttpResponse<String> page = get("/swagger-ui/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("swagger-ui");
        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(TestJson.JSON.readTree(config.body()).path("url").asText()).isEqualTo("/v3/api-docs");
        assertThat(get("/swagger-ui/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
        // An unknown path next to it is still our envelope.
        HttpResponse<String> unknown = get("/swagger-ui/nope.js");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestJson.JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("0002");
    }

    /**
     * The description is served as JSON and in no other form. springdoc also served it as YAML at
     * {@code /v3/api-docs.yaml} (prod too, once the JSON is switched on): an answer that is neither the envelope nor one
     * docs/api.md lists, from a writer nobody here chose, which leaves {@code 2026-11-22 21:00:00} unquoted, so YAML
     * 1.1 readers (PyYAML, Ruby's Psych, js-yaml) took the {@code outTradeTime} examples for timestamps, where the
     * service reads only a string or an integer. That path is now unknown like any other: the 404 envelope.
     */
    @Test
    void theDescriptionIsServedAsJsonOnly() throws Exception {
        for (String accept : new String[] {"*/*", "application/vnd.oai.openapi", "application/yaml"}) {
            HttpResponse<String> yaml = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs.yaml"))
                            .header("Accept", accept)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(yaml.statusCode()).as(accept).isEqualTo(404);
            assertThat(yaml.headers().firstValue("Content-Type").orElse(""))
                    .as(accept)
                    .startsWith("application/json");
            JsonNode envelope = TestJson.JSON.readTree(yaml.body());
            assertThat(fieldNames(envelope)).as(accept).containsExactly("code", "info", "data");
            assertThat(envelope.path("code").asText()).as(accept).isEqualTo("0002");
        }
        // The JSON is unchanged, and its examples are the strings the service reads.
        HttpResponse<String> json = get("/v3/api-docs");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(doc.path("components")
                        .path("schemas")
                        .path("SettlementMarketPayOrderRequestDTO")
                        .path("properties")
                        .path("outTradeTime")
                        .path("example")
                        .isTextual())
                .isTrue();
    }

    private List<Map.Entry<RequestMappingInfo, HandlerMethod>> ours() {
        return mappings.getHandlerMethods().entrySet().stream()
                .filter(e -> e.getValue().getBeanType().getName().startsWith("com.groupbuy.market.trigger."))
                .filter(e -> e.getKey().getPatternValues().stream().allMatch(p -> p.startsWith("/api/")))
                .toList();
    }

    /** The product's classes a body type is made of (unwrapping ResponseEntity, Response, List). */
    private static void collect(Type type, Set<Class<?>> into) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, into);
            }
            collect(parameterized.getRawType(), into);
            return;
        }
        if (!(type instanceof Class<?> type1)
                || type1.isEnum()
                || type1 == Response.class
                || type1 == ResponseEntity.class
                || !type1.getName().startsWith("com.groupbuy.market.")
                || !into.add(type1)) {
            return;
        }
        if (type1.isRecord()) {
            for (RecordComponent component : type1.getRecordComponents()) {
                collect(component.getGenericType(), into);
            }
        } else {
            for (Field field : type1.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    collect(field.getGenericType(), into);
                }
            }
        }
    }

    private static List<String> fieldsOf(Class<?> type) {
        List<String> names = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                names.add(component.getName());
            }
        } else {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    names.add(field.getName());
                }
            }
        }
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
