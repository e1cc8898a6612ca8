package dev.archipelago.e2e.gitops;

import dev.archipelago.e2e.chart.ChartFiles;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the repository's Argo CD health check for DDMRun (gitops/argocd/ddmrun-health.lua) the way
 * Argo CD does: the object as the global {@code obj}, JSON numbers as Lua numbers, the returned
 * table's {@code status} and {@code message}.
 */
public final class ArgoHealth {
  public static final Path SCRIPT = ChartFiles.REPO.resolve("gitops/argocd/ddmrun-health.lua");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Argo CD's verdict on one object. */
  public record Health(String status, String message) {}

  private final String script;

  private ArgoHealth(String script) {
    this.script = script;
  }

  public static ArgoHealth load() {
    try {
      return new ArgoHealth(Files.readString(SCRIPT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The health of a resource (a typed object or its JSON map). */
  public Health of(Object resource) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(JSON.convertValue(resource, Map.class)));
    LuaValue result = globals.load(script, SCRIPT.getFileName().toString()).call();
    return new Health(result.get("status").tojstring(), result.get("message").optjstring(null));
  }

  private static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> table.set(k.toString(), toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return LuaValue.valueOf(value.toString());
  }
}
