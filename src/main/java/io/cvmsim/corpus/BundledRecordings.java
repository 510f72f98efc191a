package io.cvmsim.corpus;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.validation.KernelRecording;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The recordings bundled with the service (src/main/resources/kernel-recordings/NAME/), found on
 * the classpath at start and read when asked for: their metadata is read once, their files and
 * traces from the classpath every time (a trace is never held in memory). Thread safe.
 */
public final class BundledRecordings {

  /** Where the recordings lie on the classpath. */
  public static final String ROOT = "kernel-recordings/";

  private final ClassLoader loader;
  private final Map<String, KernelRecording> byName = new LinkedHashMap<>();

  /** Finds and reads every bundled recording with {@code loader}. */
  public BundledRecordings(ClassLoader loader) {
    this.loader = loader;
    List<String> names = new ArrayList<>();
    try {
      for (Resource r :
          new PathMatchingResourcePatternResolver(loader)
              .getResources("classpath*:" + ROOT + "*/recording.json")) {
        String url = r.getURL().toString();
        String dir = url.substring(0, url.length() - "/recording.json".length());
        names.add(dir.substring(dir.lastIndexOf('/') + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + ROOT, e);
    }
    names.sort(Comparator.naturalOrder());
    for (String name : names) {
      byName.put(name, RecordingReader.read(new ClasspathFiles(loader, ROOT + name + "/")));
    }
  }

  /** Returns every bundled recording, by name in sort order. */
  public List<KernelRecording> all() {
    return List.copyOf(byName.values());
  }

  /**
   * Returns the bundled recording of this name.
   *
   * @throws SimulatorException 404 naming the recordings there are
   */
  public KernelRecording get(String name) {
    KernelRecording r = byName.get(name);
    if (r == null) {
      throw SimulatorException.notFound(
          "no bundled recording '"
              + name
              + "' (there are: "
              + String.join(", ", byName.keySet())
              + ")");
    }
    return r;
  }

  /** A recording's files on the classpath. */
  private record ClasspathFiles(ClassLoader loader, String dir) implements RecordingReader.Files {
    @Override
    public byte[] read(String path) throws IOException {
      try (InputStream in = open(path)) {
        return in == null ? null : in.readAllBytes();
      }
    }

    @Override
    public InputStream open(String path) {
      return loader.getResourceAsStream(dir + path);
    }
  }
}
