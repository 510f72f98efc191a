package io.cvmsim.config;

import io.cvmsim.core.memory.PageSize;
import java.util.Set;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Converts configuration values to {@link ByteSize} (from text such as {@code 4TiB} or from a YAML
 * integer) and to {@link PageSize} (from its label {@code 4K}, {@code 2M} or {@code 1G}).
 */
final class ConfigurationConverters implements GenericConverter {

  @Override
  public Set<ConvertiblePair> getConvertibleTypes() {
    return Set.of(
        new ConvertiblePair(String.class, ByteSize.class),
        new ConvertiblePair(Number.class, ByteSize.class),
        new ConvertiblePair(String.class, PageSize.class));
  }

  @Override
  public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
    if (source == null) {
      return null;
    }
    if (targetType.getType() == PageSize.class) {
      return PageSize.ofLabel((String) source);
    }
    if (source instanceof Number n) {
      if (n instanceof Double || n instanceof Float) {
        throw new IllegalArgumentException("a size must be an integer, got " + n);
      }
      return new ByteSize(n.longValue());
    }
    return ByteSize.parse((String) source);
  }
}
