package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.InteractionHandler;
import dev.valine.orchestrator.SnapStartPriming;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Our stand-in for a SnapStart restore: in one JVM, builds the app from the environment as Lambda does,
 * runs {@link SnapStartPriming#prime()} and the after-restore hook, then sends the first {@code /status}
 * and the first {@code /debug-last}. Prints one {@code PROBE} line per step with the classes the step
 * loaded and how long it took, and the markers {@code bench/after-priming.sh} uses to cut the
 * {@code -Xlog:class+load} output into steps.
 *
 * <p>Usage: {@code java -Xlog:class+load:file=classes.log -cp jar:test-classes
 * dev.valine.orchestrator.probe.AfterPrimingProbe <events dir>} with the environment of {@code serve}
 * (GitHub, optionally a table on dynalite).
 */
public final class AfterPrimingProbe {
  private AfterPrimingProbe() {}

  public static void main(String[] args) throws Exception {
    Path events = Path.of(args[0]);
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    long start = System.nanoTime();
    App app = new App(Config.fromEnvironment(System.getenv(), Config.PublicKey.REQUIRED), Clock.systemUTC());
    InteractionHandler handler = new InteractionHandler(app);
    // In Lambda the template owns the table; here it is created as serve creates it, before the clock starts.
    app.ensureStateTable();
    start = System.nanoTime();
    SnapStartPriming priming = new SnapStartPriming(app);
    priming.prime();
    app.afterRestore();
    report("primed", classes.getTotalLoadedClassCount(), start);

    for (String command : new String[] {"status", "debug-last"}) {
      String event = Files.readString(events.resolve(command + ".json"))
          .replace(Long.toString(EventMaker.ARRIVAL_PLACEHOLDER), Long.toString(System.currentTimeMillis()));
      long before = classes.getTotalLoadedClassCount();
      long began = System.nanoTime();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FakeLambdaContext());
      String body = out.toString(StandardCharsets.UTF_8);
      if (!body.contains("\"statusCode\":200") || !(body.contains("\\\"type\\\":4") || body.contains("\\\"type\\\":5"))) {
        System.err.println("PROBE unexpected response to /" + command + ": " + body);
        System.exit(1);
      }
      long loaded = classes.getTotalLoadedClassCount() - before;
      report("first_" + command.replace('-', '_') + " new_classes=" + loaded + " type=" + (body.contains("\\\"type\\\":5") ? 5 : 4),
          classes.getTotalLoadedClassCount(), began);
    }
    System.exit(0);
  }

  private static void report(String step, long totalClasses, long began) {
    long micros = (System.nanoTime() - began) / 1_000;
    // The marker goes to stderr, unbuffered, so it lands between the class-load lines of the steps it separates.
    System.err.println("PROBE-MARK " + step.split(" ")[0]);
    System.out.println("PROBE step=" + step + " total_classes=" + totalClasses + " took_us=" + micros);
    System.out.flush();
  }
}
