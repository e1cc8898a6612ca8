package dev.archipelago.testfixtures;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests an {@link EmbeddedS3} parameter: one server for the whole test run, started on first
 * use and stopped when JUnit closes its root store.
 */
public final class EmbeddedS3Extension implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(EmbeddedS3Extension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedS3.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(EmbeddedS3.class, k -> start(), EmbeddedS3.class);
  }

  private static EmbeddedS3 start() {
    try {
      return new EmbeddedS3();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded S3 server", e);
    }
  }
}
