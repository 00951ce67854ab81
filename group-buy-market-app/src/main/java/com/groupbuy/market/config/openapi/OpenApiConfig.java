package com.groupbuy.market.config.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 description partners read ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}; prod: JSON
 * only, behind {@code GBM_OPENAPI_ENABLED}). springdoc generates the paths and schemas from the controllers and the
 * api module's DTOs; this adds what the types cannot say: field rules, the two time shapes, examples, the code
 * table, and the admin token. It describes the wire and changes nothing on it.
 */
@Configuration
public class OpenApiConfig {

    static final String ADMIN_TOKEN = "adminToken";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The server is named relative to the description ({@code /}: wherever the caller fetched it from). Without a
     * server of ours springdoc wrote each request's {@code Host} into the one description all callers share before
     * writing it out, so a caller calling under a name of its choosing showed in other callers' answers as the
     * server to send orders to (OpenApiLocalesIT).
     */
    @Bean
    public OpenAPI groupBuyMarketOpenApi() {
        return new OpenAPI()
                .info(new Info().title("group-buy-market").version("v1").description(description()))
                .servers(List.of(new Server()
                        .url("/")
                        .description("this service, at the address this description was fetched from")))
                .components(new Components()
                        .addSecuritySchemes(
                                ADMIN_TOKEN,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-Admin-Token")
                                        .description("operators only: gbm.admin.token, or a named operator's own token "
                                                + "(gbm.admin.operators.<name> holds its SHA-256)")));
    }

    @Bean
    public OpenApiCustomizer partnerContract() {
        return openApi -> {
            describeFields(openApi);
            openApi.getPaths().forEach((path, item) -> {
                PartnerExamples.Examples examples = PartnerExamples.BY_PATH.get(path);
                if (examples != null && item.getPost() != null) {
                    addExamples(item.getPost(), examples);
                }
                if (path.startsWith("/api/v1/gbm/admin/")) {
                    item.readOperations()
                            .forEach(op -> op.addSecurityItem(new SecurityRequirement().addList(ADMIN_TOKEN)));
                }
            });
        };
    }

    static String description() {
        return """
                Partner malls lock a place in a group-buy team for their buyer, settle it once paid, and refund it; \
                when a team completes we call each partner back at its `notifyUrl` (or over MQ). The full guide is \
                `docs/api.md`.

                **Every answer** is `{"code", "info", "data"}` and nothing else; `code` `0000` is success. Business \
                outcomes and field errors of well-formed JSON answer HTTP 200 with their code; a body that is not \
                JSON answers 400; a signature refusal 401; a dependency outage 503 with `Retry-After`; our own \
                faults 500. Requests are read strictly: a field of the wrong JSON type (`"activityId":"1"`, \
                `"userId":1`) or given twice answers `0002` before any rule, and nothing is written. Unknown fields \
                are ignored. Times on the wire are "yyyy-MM-dd HH:mm:ss" in UTC+8 (settlement's `outTradeTime` may \
                also be epoch milliseconds); a team's `validTimeCountdown` is a duration whose hours are not capped \
                at 24 (`36:00:00`).

                ## Codes and what to do

                The HTTP column lists every status a code comes with (before `;` the usual one, after it the \
                others; the advice says when each is answered); `—`: not answered today.

                """ + PartnerCodeAdvice.table();
    }

    private static void describeFields(OpenAPI openApi) {
        Map<String, Schema> schemas =
                openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        PartnerFieldDocs.FIELDS.forEach((schemaName, fields) -> {
            Schema<?> schema = schemas.get(schemaName);
            if (schema == null || schema.getProperties() == null) {
                return;
            }
            List<String> required = new ArrayList<>();
            fields.forEach((name, field) -> {
                Schema<?> property = schema.getProperties().get(name);
                if (property == null) {
                    return;
                }
                if (field.required()) {
                    required.add(name);
                } else {
                    property.setNullable(true);
                }
                if (field.maxLength() > 0) {
                    property.setMaxLength(field.maxLength());
                }
                property.setDescription(field.description());
                if (field.example() != null) {
                    property.setExample(field.example());
                }
            });
            required.sort(null);
            schema.setRequired(required.isEmpty() ? null : required);
        });
        PartnerFieldDocs.describeTeamTimes(schemas.get("Team"));
        Schema<?> settlement = schemas.get("SettlementMarketPayOrderRequestDTO");
        if (settlement != null && settlement.getProperties() != null) {
            settlement.getProperties().put("outTradeTime", PartnerFieldDocs.outTradeTime());
            List<String> required =
                    new ArrayList<>(settlement.getRequired() == null ? List.of() : settlement.getRequired());
            required.add("outTradeTime");
            settlement.setRequired(required);
        }
    }

    private static void addExamples(Operation operation, PartnerExamples.Examples examples) {
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            for (MediaType media : operation.getRequestBody().getContent().values()) {
                examples.requests().forEach((name, json) -> media.addExamples(name, new Example().value(parse(json))));
            }
        }
        ApiResponse ok = operation.getResponses() == null
                ? null
                : operation.getResponses().get("200");
        if (ok != null) {
            Content content = ok.getContent();
            if (content != null) {
                for (MediaType media : content.values()) {
                    examples.answers()
                            .forEach((name, json) -> media.addExamples(name, new Example().value(parse(json))));
                }
            }
        }
    }

    private static Object parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
