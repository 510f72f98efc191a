package io.cvmsim.api.web;

import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.math.BigDecimal;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;

/**
 * Describes the request value types in the OpenAPI document as what a client sends: {@link
 * SizeValue} and {@link AddressValue} are "an integer or a string" there, not objects with a {@code
 * bytes} or {@code value} field. Registered once, when this configuration is loaded, before the
 * document is first built.
 */
@Configuration(proxyBeanMethods = false)
class ValueTypeSchemas {

  static {
    SpringDocUtils.getConfig()
        .replaceWithSchema(
            SizeValue.class,
            integerOrString(
                "Bytes: an integer, a hex string (\"0x100000000\") or a string with a binary"
                    + " suffix (B, KiB, MiB, GiB, TiB, PiB), e.g. \"4GiB\"",
                "^(0x[0-9a-fA-F_]+|[0-9]+\\s*([KMGTP]i?B?|B)?)$",
                "4GiB"))
        .replaceWithSchema(
            AddressValue.class,
            integerOrString(
                "A physical address: an integer or a decimal or hex string (\"0x100000000\")",
                "^(0x[0-9a-fA-F_]+|[0-9]+)$",
                "0x100000000"));
  }

  private static Schema<Object> integerOrString(String description, String pattern, String ex) {
    Schema<Object> s = new Schema<>();
    s.oneOf(
        List.of(
            new IntegerSchema().format("int64").minimum(BigDecimal.ZERO),
            new StringSchema().pattern(pattern).example(ex)));
    s.description(description);
    s.example(ex);
    return s;
  }
}
