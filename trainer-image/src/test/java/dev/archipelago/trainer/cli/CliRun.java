package dev.archipelago.trainer.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * One {@code archipelago} command run in this JVM with the given environment, as a user runs it.
 *
 * @param code its exit code
 * @param out what it printed
 */
public record CliRun(int code, String out) {

  public static CliRun of(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = Archipelago.commandLine(env);
    cli.setOut(new PrintWriter(out));
    int code = cli.execute(args);
    return new CliRun(code, out.toString());
  }
}
