package io.cvmsim.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): the API's
 * description, the optional bearer token, and the problem answers every operation may give. (Sizes
 * and addresses are described next to their types, in {@code api.web.ValueTypeSchemas}.)
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

  /** Returns the document's description and the bearer scheme. */
  @Bean
  OpenAPI cvmsimOpenApi(ObjectProvider<BuildProperties> build) {
    BuildProperties b = build.getIfAvailable();
    return new OpenAPI()
        .info(
            new Info()
                .title("cvmsim REST API")
                .version(b != null ? "v1 (cvmsim " + b.getVersion() + ")" : "v1")
                .description(
                    "Simulated confidential-VM guests (Intel TDX, AMD SEV-SNP) with Linux"
                        + " unaccepted memory. Sizes in requests are integers or strings such as"
                        + " \"4GiB\"; addresses integers or hex strings; responses use integers."
                        + " Errors are RFC 9457 application/problem+json. Mutating requests need"
                        + " 'Authorization: Bearer <token>' when the service has an API token.")
                .license(new License().name("see the repository")))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("cvmsim.security.api-token, when set")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  /** Adds the Problem schema and a 4XX/5XX problem answer to every operation. */
  @Bean
  OpenApiCustomizer problemResponses() {
    return api -> {
      Schema<?> fieldError =
          new ObjectSchema()
              .addProperty("field", new StringSchema().example("memory"))
              .addProperty(
                  "message", new StringSchema().example("memory: '4XiB' has an unknown unit"));
      Schema<?> problem =
          new ObjectSchema()
              .description("RFC 9457 problem details")
              .addProperty(
                  "type", new StringSchema().example("https://cvmsim.io/problems/invalid-request"))
              .addProperty("title", new StringSchema().example("Bad Request"))
              .addProperty("status", new IntegerSchema().example(400))
              .addProperty("detail", new StringSchema().example("order must be between 0 and 10"))
              .addProperty("instance", new StringSchema().example("/api/v1/vms/vm-1/allocations"))
              .addProperty(
                  "requestId",
                  new StringSchema().description("The request's X-Request-Id").example("f3a9"))
              .addProperty(
                  "errors",
                  new io.swagger.v3.oas.models.media.ArraySchema()
                      .items(fieldError)
                      .description("The inputs at fault"));
      if (api.getComponents() == null) {
        api.setComponents(new Components());
      }
      api.getComponents().addSchemas("Problem", problem);
      Content content =
          new Content()
              .addMediaType(
                  "application/problem+json",
                  new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
      if (api.getPaths() == null) {
        return;
      }
      api.getPaths()
          .values()
          .forEach(
              item ->
                  item.readOperations()
                      .forEach(
                          op -> {
                            for (Map.Entry<String, String> e :
                                Map.of(
                                        "4XX",
                                        "Refused: bad input (400), unknown VM or job (404),"
                                            + " conflict (409), over a limit (413), impossible"
                                            + " (422), no token (401)",
                                        "5XX",
                                        "At capacity (503 with Retry-After)")
                                    .entrySet()) {
                              if (op.getResponses() != null
                                  && !op.getResponses().containsKey(e.getKey())) {
                                op.getResponses()
                                    .addApiResponse(
                                        e.getKey(),
                                        new ApiResponse()
                                            .description(e.getValue())
                                            .content(content));
                              }
                            }
                          }));
    };
  }
}
