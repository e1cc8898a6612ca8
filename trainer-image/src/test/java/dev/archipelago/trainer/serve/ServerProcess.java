package dev.archipelago.trainer.serve;

import dev.archipelago.trainer.local.JvmCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code archipelago serve ...} as a separate JVM on this test's classpath (a distributed expert).
 * Its output goes to a log file; the port is read from the "serving on port N" line.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("serving on port (\\d+)");

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServerProcess start(List<String> args, Map<String, String> env, Path log)
      throws Exception {
    // The same intra-op threads as this JVM, so both sides run the same kernels.
    int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "1"));
    List<String> command = JvmCommand.current().archipelago(threads, args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  var out = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                  out.write(line);
                  out.newLine();
                  out.flush();
                  Matcher m = PORT.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IOException("server exited; see " + log));
            },
            "server-log");
    pump.setDaemon(true);
    pump.start();
    return new ServerProcess(process, port.get(3, TimeUnit.MINUTES));
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
