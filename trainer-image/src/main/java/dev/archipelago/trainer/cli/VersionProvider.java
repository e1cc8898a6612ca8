package dev.archipelago.trainer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version Maven wrote into {@code archipelago-version.properties} at build time. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("/archipelago-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {"archipelago " + properties.getProperty("version", "unknown")};
  }
}
